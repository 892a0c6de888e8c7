import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { consoleStream } from '../../../../src/adapters/logging/console-stream.js';
import { createLogger } from '../../../../src/adapters/logging/create-logger.js';
import { REDACTED } from '../../../../src/adapters/logging/scrub-secrets.js';
import { eventually } from '../../../support/services.js';

/** A stand-in for the process's standard output, a terminal or not. */
function output(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
  stream.isTTY = isTTY;
  let written = '';
  stream.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
  return { stream, text: () => written };
}

const SECRET = 'sk-test-0123456789abcdef';

describe('the console log stream', () => {
  it('when standard output is a terminal, then lines are readable text, not JSON, and secrets stay scrubbed', async () => {
    const { stream, text } = output(true);
    const logger = createLogger({ level: 'info', secrets: [SECRET], destination: consoleStream(stream) });

    logger.info({ symbol: 'BTC/USDT:USDT', apiKey: SECRET }, `position opened with key ${SECRET}`);

    await eventually(() => text().includes('position opened'));
    expect(text()).toMatch(/INFO/);
    expect(text()).toContain(`position opened with key ${REDACTED}`);
    expect(text()).toContain('symbol');
    expect(text()).not.toContain(SECRET);
    expect(() => JSON.parse(text().trim())).toThrow();
  });

  it('when standard output is not a terminal (Docker, a file), then it gets one JSON object per line', async () => {
    const { stream, text } = output(false);
    const logger = createLogger({ level: 'info', secrets: [SECRET], destination: consoleStream(stream) });

    logger.info({ symbol: 'ETH/USDT:USDT' }, 'scan done');
    logger.flush();

    await eventually(() => text().includes('scan done'));
    expect(JSON.parse(text().trim())).toMatchObject({ level: 30, symbol: 'ETH/USDT:USDT', msg: 'scan done' });
  });
});
