// The setup page is shown the configuration file's declared, non-secret settings only: a password kept beside them
// (Docker Compose reads POSTGRES_PASSWORD from the same .env) never reaches the page, and a save keeps it in the file.
// A save writes every value so that the daemon reads it back as given, and is checked as the daemon checks its start.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dotenv from 'dotenv';
import { describe, expect, it } from 'vitest';
import { setupRoutes } from '../../../src/adapters/web/index.js';
import { ApiError } from '../../../src/adapters/web/api/route.js';
import { ManualClock } from '../../../src/adapters/clock/index.js';
import { configurationFileWritable, setupServices } from '../../../src/cli/setup-services.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { encryptSecret } from '../../../src/config/secrets.js';
import { LIVE_TRADING_SENTENCE } from '../../../src/config/variables.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';

const PG_PASSWORD = 'c0mp0se-only-pa55word';

async function servicesOver(text: string, environment: Record<string, string> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'setup-values-'));
  const file = join(dir, '.env');
  await writeFile(file, text);
  const config = loadConfig({ env: { DATA_DIR: join(dir, 'data') } });
  const clock = new ManualClock(new Date('2025-10-10T09:00:00Z'));
  return { file, dir, services: setupServices({ file, config, clock, logger: new RecordingLogger(), environment }) };
}

describe('the setup page’s view of the configuration file', () => {
  it('when the file also holds the Postgres password and an API key, then neither is shown, and a save keeps the password', async () => {
    const { file, services } = await servicesOver(`USE_PAPER_TRADING=true\nSYMBOLS=BTC/USDT:USDT\nPOSTGRES_PASSWORD=${PG_PASSWORD}\nCLAUDE_API_KEY=placeholder-claude-key-0123456789\n`);

    const current = await services.current();

    expect(current.values).toEqual({ USE_PAPER_TRADING: 'true', SYMBOLS: 'BTC/USDT:USDT' });
    expect(JSON.stringify(current)).not.toContain(PG_PASSWORD);
    expect(JSON.stringify(current)).not.toContain('placeholder-claude-key');
    expect(current.secretsSet).toEqual(['CLAUDE_API_KEY']);

    await services.write({ ...current.values, SYMBOLS: 'ETH/USDT:USDT' });
    const written = await readFile(file, 'utf8');
    expect(written).toContain(`POSTGRES_PASSWORD=${PG_PASSWORD}`);
    expect(written).toContain('SYMBOLS=ETH/USDT:USDT');
  });
});

const SHADOWS = '[{"name":"half","settings":{"POSITION_SIZE_PERCENT":0.4}}]';

describe('what a setup save writes', () => {
  it('when the file holds inline JSON shadow strategies and an unrelated setting is saved, then the daemon still reads them as written', async () => {
    const { file, dir, services } = await servicesOver(`USE_PAPER_TRADING=true\nSHADOW_STRATEGIES='${SHADOWS}'\n`);
    const current = await services.current();
    const values = { ...current.values, SYMBOLS: 'ETH/USDT:USDT', REPORTS_DIR: 'reports\\2025' };

    expect(await services.validate(values)).toEqual([]);
    await services.write(values);

    const read = dotenv.parse(await readFile(file, 'utf8'));
    expect(read.SHADOW_STRATEGIES).toBe(SHADOWS);
    expect(read.REPORTS_DIR).toBe('reports\\2025');
    expect(loadConfig({ env: { DATA_DIR: join(dir, 'data') }, dotenvPath: file }).shadows.map((shadow) => shadow.name)).toEqual(['half']);
  });

  it('when the shadow strategies are not valid JSON, or a value cannot be written as given, then validation says so, as the start would', async () => {
    const { services } = await servicesOver('USE_PAPER_TRADING=true\n');

    expect((await services.validate({ SHADOW_STRATEGIES: '[{"name":"half",' })).join(' ')).toMatch(/SHADOW_STRATEGIES/);
    // A line break beside every kind of quote and a literal \\n: no quoting reads it back as given.
    expect(await services.validate({ REPORTS_DIR: 'x\ny\'"`\\n' })).toEqual([
      'REPORTS_DIR: this value cannot be written to the configuration file as it is (it holds every kind of quote); change it',
    ]);
  });
});

describe('what a setup save keeps', () => {
  it('when the owner clears a shown setting, then it goes back to its default; a secret left empty stays as the file holds it', async () => {
    const { file, services } = await servicesOver('USE_PAPER_TRADING=true\nSYMBOLS=ETH/USDT:USDT\nCLAUDE_API_KEY=placeholder-claude-key-0123456789\n');

    await services.write({ USE_PAPER_TRADING: 'true', SYMBOLS: '', CLAUDE_API_KEY: '' });

    const read = dotenv.parse(await readFile(file, 'utf8'));
    expect(read.SYMBOLS).toBeUndefined();
    expect(read.CLAUDE_API_KEY).toBe('placeholder-claude-key-0123456789');
  });

  it('when a setting\u2019s name is not one the daemon knows, then validation names it', async () => {
    const { services, dir } = await servicesOver('USE_PAPER_TRADING=true\n');
    await writeFile(join(dir, 'claude'), 'placeholder-claude-key-from-a-file\n');

    expect(await services.validate({ MAX_LEVERAGES: '3', CLAUDE_API_KEY_FILE: join(dir, 'claude') })).toEqual(['MAX_LEVERAGES: not a setting the daemon knows; check the name']);
  });

  it('when the environment sets what the form changes, then validation refuses it: the environment wins at every start', async () => {
    const { services } = await servicesOver('USE_PAPER_TRADING=true\n', { USE_PAPER_TRADING: 'false', MAX_LEVERAGE: '3' });

    const problems = await services.validate({ USE_PAPER_TRADING: 'true', MAX_LEVERAGE: '3' });
    expect(problems[0]).toBe("USE_PAPER_TRADING: the daemon's environment sets it, which wins over the file; change it there (in docker-compose, the env file or the service's environment)");
    // And what the next start, live by its environment, would refuse besides.
    expect(problems).toContain('BINANCE_API_KEY: required when USE_PAPER_TRADING=false and EXCHANGE=binanceusdm.');
    expect(await services.tradesLive({ USE_PAPER_TRADING: 'true' })).toBe(true);
  });

  it('when the file holds an encrypted value and a secret read from its file, then a save is checked on what they hold, as the daemon reads them', async () => {
    const masterKey = 'setup-values-master-key-0123456789';
    const dir = await mkdtemp(join(tmpdir(), 'setup-secrets-'));
    await writeFile(join(dir, 'claude'), 'placeholder-claude-key-from-a-file\n');
    const database = encryptSecret('postgres://trader:secret@db:5432/trading', masterKey);
    const { services } = await servicesOver(`USE_PAPER_TRADING=true\nMASTER_KEY=${masterKey}\nDATABASE_URL=${database}\nCLAUDE_API_KEY_FILE=${join(dir, 'claude')}\n`);

    expect(await services.validate({ MAX_LEVERAGE: '3' })).toEqual([]);
  });
});

describe('saves the next start would refuse', () => {
  it('when a key is typed while the file reads it from a _FILE, then validation says to change it there or remove the _FILE', async () => {
    const { services } = await servicesOver('USE_PAPER_TRADING=true\nCLAUDE_API_KEY_FILE=/run/secrets/claude\n');

    expect(await services.validate({ CLAUDE_API_KEY: 'placeholder-claude-key-typed' })).toEqual([
      'CLAUDE_API_KEY: the file reads it from CLAUDE_API_KEY_FILE already; change it in that file, or remove CLAUDE_API_KEY_FILE first',
    ]);
  });

  it('when the master key is sent from the page, then validation refuses it: the other secrets are encrypted with it', async () => {
    const { services } = await servicesOver('USE_PAPER_TRADING=true\n');

    const problems = await services.validate({ MASTER_KEY: 'my-own-master-key-0123456789' });

    expect(problems).toEqual([expect.stringContaining('MASTER_KEY: not set from this page')]);
  });
});

describe('the live-trading sentence on a setup save', () => {
  async function save(text: string, values: Record<string, string>, acknowledgement?: string) {
    const { file, services } = await servicesOver(text);
    const route = setupRoutes(services).find((candidate) => candidate.path === '/api/setup/save');
    if (!route?.body) throw new Error('no save route');
    const body = route.body.parse({ values, ...(acknowledgement === undefined ? {} : { acknowledgement }) });
    const outcome = await route.handle({ params: undefined, query: undefined, body, context: {} as never }).then(
      () => 'written',
      (error: { status?: number }) => error.status,
    );
    return { outcome, read: dotenv.parse(await readFile(file, 'utf8')) };
  }

  it.each(['false', '0', 'no', 'FALSE'])('when USE_PAPER_TRADING=%s is saved without the sentence, then nothing is written, though the file still holds it from before', async (off) => {
    // Keys set, and the sentence left from a live period: nothing but the sentence typed again stands in the way.
    const before = `USE_PAPER_TRADING=true\nBINANCE_API_KEY=k-0123456789\nBINANCE_SECRET_KEY=s-0123456789\nLIVE_TRADING_ACKNOWLEDGED=${LIVE_TRADING_SENTENCE}\n`;

    const { outcome, read } = await save(before, { USE_PAPER_TRADING: off });

    expect(outcome).toBe(400);
    expect(read).toEqual(dotenv.parse(before));
  });

  it('when a file that was live goes back to paper, then it forgets the sentence, and going live again needs it typed again', async () => {
    const { outcome, read } = await save(`USE_PAPER_TRADING=false\nLIVE_TRADING_ACKNOWLEDGED=${LIVE_TRADING_SENTENCE}\n`, { USE_PAPER_TRADING: 'true' });

    expect(outcome).toBe('written');
    expect(read.USE_PAPER_TRADING).toBe('true');
    expect(read.LIVE_TRADING_ACKNOWLEDGED).toBeUndefined();
  });
});

describe('a configuration file the daemon cannot write', () => {
  // What the daemon meets under the compose stack (no .env in /app, a folder it may not write, or a file mounted read-only)
  // cannot be made for a test run as root; a folder that cannot take the save's new file beside it fails the same way.
  async function unwritable(text?: string) {
    const dir = await mkdtemp(join(tmpdir(), 'setup-unwritable-'));
    const file = join(dir, `${'x'.repeat(230)}.env`);
    if (text !== undefined) await writeFile(file, text);
    const config = loadConfig({ env: { DATA_DIR: join(dir, 'data') } });
    const services = setupServices({ file, config, clock: new ManualClock(new Date('2025-10-10T09:00:00Z')), logger: new RecordingLogger(), environment: {} });
    return { file, dir, services };
  }

  it('when a save cannot be written, then it says which file and what to do, leaves the file as it was, and makes no master key', async () => {
    const { file, dir, services } = await unwritable('MAX_LEVERAGE=2\n');

    const refusal = await services.write({ TELEGRAM_BOT_TOKEN: '123456:ABCdefGhIJKlmnoPQRstuVWXyz0123456789', TELEGRAM_CHAT_ID: '12345' }).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(refusal).toBeInstanceOf(ApiError);
    expect((refusal as ApiError).status).toBe(409);
    expect((refusal as ApiError).message).toBe(`the configuration file ${file} cannot be written from here (ENAMETOOLONG); nothing was saved`);
    expect((refusal as ApiError).issues).toEqual([
      'edit the configuration file where it is kept (under Docker Compose: .env beside docker-compose.yml on the host), then start the daemon again with it (docker compose up -d, which reads .env again; a plain restart does not)',
    ]);
    expect(await readFile(file, 'utf8')).toBe('MAX_LEVERAGE=2\n');
    expect(existsSync(join(dir, 'data', 'master.key'))).toBe(false);
  });

  it('when the file is missing where it could not be made, then the wizard is not suggested; where it could, it is', async () => {
    const { file } = await unwritable();
    const writable = join(await mkdtemp(join(tmpdir(), 'setup-writable-')), '.env');

    expect(await configurationFileWritable(file)).toBe(false);
    expect(await configurationFileWritable(writable)).toBe(true);
    expect(existsSync(writable)).toBe(false);
  });
});
