// A configuration that starts may still hold a mistake the daemon would otherwise act on silently: it is said at start.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/load-config.js';

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

describe('warnings at start, of what the compose stack hands the daemon (.env as the environment)', () => {
  it('when .env holds POSTGRES_PASSWORD beside the daemon\u2019s settings, then it is not called unknown: Docker Compose reads it', async () => {
    const config = loadConfig({ env: {}, dotenvPath: await dotenv('POSTGRES_PASSWORD=abc123\nLEVERAGE=3\n') });
    expect(config.warnings).toEqual(['LEVERAGE in .env is not a setting the daemon knows, so it is ignored.']);
  });

  it('when .env is a folder, then the daemon does not start on its defaults and says so', async () => {
    const folder = join(await dotenv(''), '..', 'folder.env');
    await mkdir(folder);
    const refusal = (() => {
      try {
        loadConfig({ env: {}, dotenvPath: folder });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(ConfigError);
    expect((refusal as ConfigError).problems).toEqual([`${folder}: is a folder, not a configuration file; remove it and create the file (cp .env.example .env).`]);
  });

  it('when the image hands .env over as the environment, then a typo in it is reported as it would be from the file, and the image\u2019s own names are not', () => {
    const environment = {
      DAEMON_IN_CONTAINER: '1', PATH: '/usr/bin', HOSTNAME: 'a1b2c3', HOME: '/app', NODE_ENV: 'production', GIT_COMMIT: '',
      HTTP_HOST: '0.0.0.0', DATA_DIR: '/app/data', POSTGRES_PASSWORD: 'abc123', MAX_LEVERAGE: '3', DAILY_LOSS_LIMIT: '0.05', LEVERAGE: '3',
    };
    const config = loadConfig({ env: environment });
    expect(config.warnings).toEqual([
      'DAILY_LOSS_LIMIT in .env (handed over as the environment) is not a setting the daemon knows, so it is ignored.',
      'LEVERAGE in .env (handed over as the environment) is not a setting the daemon knows, so it is ignored.',
    ]);
    // Outside the image the environment holds other programs' names: only a near miss of a known one is reported.
    const { DAEMON_IN_CONTAINER: _container, ...elsewhere } = environment;
    expect(loadConfig({ env: elsewhere }).warnings).toEqual([]);
  });
});

describe('a score given as a fraction', () => {
  it('when MIN_OPPORTUNITY_SCORE is 0.8, then the warning names the 0-100 scale; on its scale, or 0 (the gate off on purpose), nothing is said', () => {
    const config = loadConfig({ env: { MIN_OPPORTUNITY_SCORE: '0.8' } });
    expect(config.consensus.minOpportunityScore).toBe(0.8);
    expect(config.warnings).toEqual([expect.stringMatching(/^MIN_OPPORTUNITY_SCORE=0\.8 is read on the 0-100 scale.*not a fraction like MIN_AI_CONFIDENCE\.$/)]);
    for (const score of ['0', '1.5', '75']) expect(loadConfig({ env: { MIN_OPPORTUNITY_SCORE: score } }).warnings).toEqual([]);
  });
});
