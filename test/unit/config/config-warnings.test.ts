// A configuration that starts may still hold a mistake the daemon would otherwise act on silently: it is said at start.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function dotenv(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dotenv-'));
  made.push(dir);
  await writeFile(join(dir, '.env'), text);
  return join(dir, '.env');
}

describe('warnings at start', () => {
  it('when .env names a setting with a typo, then the default stays in force and the warning names the setting meant', async () => {
    const config = loadConfig({ env: {}, dotenvPath: await dotenv('MAX_LEVRAGE=2\nCOMPOSE_PROJECT_NAME=trader\n') });
    expect(config.risk.maxLeverage).toBe(5);
    expect(config.warnings).toContain('MAX_LEVRAGE in .env is not a setting the daemon knows, so it is ignored; did you mean MAX_LEVERAGE?');
    expect(config.warnings).toContain('COMPOSE_PROJECT_NAME in .env is not a setting the daemon knows, so it is ignored.');
  });

  it('when the environment holds a near miss of a setting, then it is named; other programs\u2019 variables are not', () => {
    const config = loadConfig({ env: { DAILY_LOSS_LIMT_PERCENT: '0.02', PYTHONUNBUFFERED: '1', SSL_CERT_FILE: '/etc/ssl/cert.pem' } });
    expect(config.warnings).toEqual(['DAILY_LOSS_LIMT_PERCENT in the environment is not a setting the daemon knows, so it is ignored; did you mean DAILY_LOSS_LIMIT_PERCENT?']);
  });

  it('when a setting that is no secret is given as a _FILE, then the warning says it is not read', () => {
    const config = loadConfig({ env: { TELEGRAM_CHAT_ID_FILE: '/run/secrets/chat' } });
    expect(config.warnings).toContain('TELEGRAM_CHAT_ID_FILE in the environment is not read: only secrets come from files; set TELEGRAM_CHAT_ID itself.');
  });

  it('when a _PERCENT setting looks like a percentage typed as one, then the warning says how it is read', () => {
    const config = loadConfig({ env: { SIZING_MODE: 'atr_risk', RISK_PER_TRADE_PERCENT: '0.5', DAILY_LOSS_LIMIT_PERCENT: '0.05' } });
    expect(config.warnings).toEqual(['RISK_PER_TRADE_PERCENT=0.5 is read as 50%: the _PERCENT settings are fractions (0.02 = 2%).']);
  });
});
