// The setup page is shown the configuration file's declared, non-secret settings only: a password kept beside them
// (Docker Compose reads POSTGRES_PASSWORD from the same .env) never reaches the page, and a save keeps it in the file.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/index.js';
import { setupServices } from '../../../src/cli/setup-services.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';

const PG_PASSWORD = 'c0mp0se-only-pa55word';

async function servicesOver(text: string) {
  const dir = await mkdtemp(join(tmpdir(), 'setup-values-'));
  const file = join(dir, '.env');
  await writeFile(file, text);
  const config = loadConfig({ env: { DATA_DIR: join(dir, 'data') }, dotenvPath: file });
  return { file, services: setupServices({ file, config, clock: new ManualClock(new Date('2025-10-10T09:00:00Z')), logger: new RecordingLogger() }) };
}

describe('the setup page’s view of the configuration file', () => {
  it('when the file also holds the Postgres password and an API key, then neither is shown, and a save keeps the password', async () => {
    const { file, services } = await servicesOver(`USE_PAPER_TRADING=true\nSYMBOLS=BTC/USDT:USDT\nPOSTGRES_PASSWORD=${PG_PASSWORD}\nCLAUDE_API_KEY=sk-ant-test-0123456789\n`);

    const current = await services.current();

    expect(current.values).toEqual({ USE_PAPER_TRADING: 'true', SYMBOLS: 'BTC/USDT:USDT' });
    expect(JSON.stringify(current)).not.toContain(PG_PASSWORD);
    expect(JSON.stringify(current)).not.toContain('sk-ant-test');
    expect(current.secretsSet).toEqual(['CLAUDE_API_KEY']);

    await services.write({ ...current.values, SYMBOLS: 'ETH/USDT:USDT' });
    const written = await readFile(file, 'utf8');
    expect(written).toContain(`POSTGRES_PASSWORD=${PG_PASSWORD}`);
    expect(written).toContain('SYMBOLS=ETH/USDT:USDT');
  });
});
