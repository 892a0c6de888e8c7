// What the dashboard's setup wizard needs from the rest of the daemon: the configuration schema (the same one the
// daemon starts with), the venue (market list, key permissions), Telegram (a test message) and the configuration
// file, written with every secret encrypted under the master key.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import dotenv from 'dotenv';
import { createCcxtClient } from '../adapters/exchange/ccxt/ccxt-client.js';
import { CcxtExchange } from '../adapters/exchange/ccxt/ccxt-exchange.js';
import { CcxtMarketData } from '../adapters/market-data/ccxt/ccxt-market-data.js';
import { createTelegramBot } from '../adapters/notifier/index.js';
import { ApiError } from '../adapters/web/api/route.js';
import type { SetupServices, SetupVariable } from '../adapters/web/api/setup-routes.js';
import type { AppConfig } from '../config/app-config.js';
import { checkVariables, daemonEnvironment, resolvedVariables } from '../config/load-config.js';
import { describeAllowed, parseVariables } from '../config/parse-variables.js';
import { decryptSecret, encryptSecret, isEncryptedSecret, resolveMasterKey } from '../config/secrets.js';
import { VARIABLES } from '../config/variables.js';
import { describeError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';

const SECRET_NAMES = new Set(VARIABLES.filter((spec) => spec.secret).map((spec) => spec.name));
/**
 * What the page is shown of the file: the declared settings that are not secrets. Anything else in it (the
 * POSTGRES_PASSWORD Docker Compose reads from the same file, say) stays in the file, unshown and kept on save.
 */
const SHOWN_NAMES = new Set(VARIABLES.filter((spec) => !spec.secret).map((spec) => spec.name));

async function readValues(file: string): Promise<Record<string, string> | undefined> {
  try {
    return dotenv.parse(await readFile(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * `NAME=value`, quoted when it must be, in the first quotes dotenv reads back as written: single quotes keep
 * everything literal (a JSON value's quotes and backslashes too, as Docker Compose also reads them), and the others
 * serve a value that holds a line break. Undefined when no quoting reads back as written.
 */
function line(name: string, value: string): string | undefined {
  if (/^[\w./:,@+-]*$/.test(value)) return `${name}=${value}`;
  for (const quoted of [`'${value}'`, `\`${value}\``, `"${value.replace(/\n/g, '\\n')}"`]) {
    const written = `${name}=${quoted}`;
    if (dotenv.parse(written)[name] === value) return written;
  }
  return undefined;
}

const unwritable = (name: string): string => `${name}: this value cannot be written to the configuration file as it is (it holds every kind of quote); change it`;

/**
 * The file's values with the form's. An empty secret keeps what the file holds (the page never shows it); an empty
 * setting the page shows was cleared by the owner, and goes back to its default.
 */
function mergedWith(existing: Readonly<Record<string, string>>, values: Readonly<Record<string, string>>): Record<string, string> {
  const merged = { ...existing };
  for (const [name, value] of Object.entries(values)) {
    if (value !== '') merged[name] = value;
    else if (SHOWN_NAMES.has(name)) delete merged[name];
  }
  return merged;
}

/** A setting the daemon does not know (a typo, most often) would be written and then ignored without a word. */
const KNOWN_NAMES = new Set([...VARIABLES.map((spec) => spec.name), ...[...SECRET_NAMES].map((name) => `${name}_FILE`)]);
const unknown = (name: string): string => `${name}: not a setting the daemon knows; check the name`;

const WHY_NOT_WRITTEN: Readonly<Record<string, string>> = { EROFS: 'a read-only file system', EACCES: 'no permission', EPERM: 'no permission', EBUSY: 'a file mounted in place' };

/**
 * Where the configuration file cannot be written (under the compose stack .env stays on the host, and the image's
 * /app is read-only to the daemon), the page says where it can be changed instead of failing with an internal error.
 */
function notWritable(file: string, error: unknown): ApiError {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
  return new ApiError(409, `the configuration file ${file} cannot be written from here (${WHY_NOT_WRITTEN[code] ?? code}); nothing was saved`, [
    `edit the configuration file where it is kept (under Docker Compose: .env beside docker-compose.yml on the host), then start the daemon again with it (docker compose up -d, which reads .env again; a plain restart does not)`,
  ]);
}

/**
 * A file of our own beside `file`, made and closed once `file` (when there is one) is known writable: the proof the
 * daemon can replace `file` with it, as a save does.
 */
async function reserveBeside(file: string): Promise<string> {
  // A file mounted read-only in a folder the daemon may write is refused on its own.
  await open(file, 'r+').then(
    (handle) => handle.close(),
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    },
  );
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await (await open(temporary, 'wx', 0o600)).close();
  return temporary;
}

/** Whether the daemon can write `file` where it is: the setup wizard is suggested and can save only there. */
export async function configurationFileWritable(file: string): Promise<boolean> {
  try {
    await rm(await reserveBeside(resolve(file)), { force: true });
    return true;
  } catch {
    return false;
  }
}

export interface SetupOptions {
  readonly file: string;
  readonly config: AppConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The daemon's environment (the process's unless given): it wins over the file at every start. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

export function setupServices(options: SetupOptions): SetupServices {
  const { config, clock, logger } = options;
  const file = resolve(options.file);
  const environment = options.environment ?? daemonEnvironment();
  /** The settings as the next start reads them: the file with the form's values, under the environment's. */
  const asRead = (onFile: Record<string, string>): Record<string, string | undefined> => ({
    ...onFile,
    ...Object.fromEntries(Object.entries(environment).filter(([name, value]) => KNOWN_NAMES.has(name) && value !== undefined && value !== '')),
  });
  const venue = { exchangeId: config.exchange.id, apiOrigin: config.exchange.apiOrigin, wsOrigin: config.exchange.wsOrigin };

  /** The master key the daemon would decrypt with; one is made (DATA_DIR/master.key) when there is none. */
  async function masterKey(): Promise<{ key: string; madeFile?: string }> {
    const existing = resolveMasterKey({ dotenvPath: file });
    if (existing) return { key: existing };
    const keyFile = resolve(config.dataDir, 'master.key');
    const stored = await readFile(keyFile, 'utf8').catch(() => undefined);
    if (stored?.trim()) return { key: stored.trim(), madeFile: keyFile };
    const key = randomBytes(32).toString('base64url');
    await mkdir(dirname(keyFile), { recursive: true, mode: 0o700 });
    await writeFile(keyFile, `${key}\n`, { mode: 0o600 });
    return { key, madeFile: keyFile };
  }

  return {
    async current() {
      const read = await readValues(file);
      const values = read ?? {};
      const plain = Object.fromEntries(Object.entries(values).filter(([name]) => SHOWN_NAMES.has(name)));
      return { file, exists: read !== undefined, values: plain, secretsSet: Object.keys(values).filter((name) => SECRET_NAMES.has(name)) };
    },

    variables(): SetupVariable[] {
      return VARIABLES.map((spec) => ({
        name: spec.name,
        section: spec.section,
        secret: spec.secret === true,
        ...(spec.default === undefined ? {} : { default: spec.default }),
        allowed: describeAllowed(spec.kind),
        description: spec.description,
      }));
    },

    async validate(values) {
      // What the file already holds counts (its secrets stay set when the form leaves them empty). As the daemon reads
      // it: the schema, the settings, the shadow strategies; and every value must be writable as it was given.
      const merged = mergedWith((await readValues(file)) ?? {}, values);
      const unknownNames = Object.keys(values).filter((name) => !KNOWN_NAMES.has(name)).map(unknown);
      const notWritable = Object.entries(values).flatMap(([name, value]) => (value !== '' && line(name, value) === undefined ? [unwritable(name)] : []));
      const given = Object.entries(values).filter(([, value]) => value !== '').map(([name]) => name);
      // Two things the schema cannot see, each of which would stop the next start: a secret typed here while the file
      // reads it from a file already, and the master key, which would encrypt itself with the key it replaces.
      const fromFile = given.filter((name) => SECRET_NAMES.has(name) && merged[`${name}_FILE`]).map(
        (name) => `${name}: the file reads it from ${name}_FILE already; change it in that file, or remove ${name}_FILE first`,
      );
      const masterKey = given.filter((name) => name === 'MASTER_KEY' || name === 'MASTER_KEY_FILE').map(
        (name) => `${name}: not set from this page; it is the key the other secrets are encrypted with (set it in the environment or its file)`,
      );
      // A value the environment sets too would be written and never used: the environment wins at every start.
      const overridden = given
        .filter((name) => (environment[name] ?? '') !== '' && environment[name] !== values[name])
        .map((name) => `${name}: the daemon's environment sets it, which wins over the file; change it there (in docker-compose, the env file or the service's environment)`);
      // Checked as the daemon would read it: secrets from their files and decrypted, the environment over the file.
      // (A secret typed beside its _FILE is said once, above, not again as the daemon would word it.)
      const resolved = resolvedVariables(asRead(merged), { decryptSecret });
      const unresolved = fromFile.length > 0 ? [] : resolved.problems;
      const checked = resolved.problems.length > 0 ? unresolved : checkVariables(resolved.values).problems;
      return [...unknownNames, ...notWritable, ...fromFile, ...masterKey, ...overridden, ...checked];
    },

    async tradesLive(values) {
      const parsed = parseVariables(VARIABLES, asRead(mergedWith((await readValues(file)) ?? {}, values)));
      return parsed.values.get('USE_PAPER_TRADING') === false;
    },

    async checkExchange(keys) {
      const marketData = new CcxtMarketData({ ...venue, sandbox: keys.sandbox, clock, logger });
      const exchange = new CcxtExchange({ ...venue, apiKey: keys.apiKey, secret: keys.secret, sandbox: keys.sandbox, marketData, clock, logger });
      try {
        const check = await exchange.verifyAccount();
        return {
          ok: true,
          detail: check.restrictionsChecked
            ? `the key may trade futures and may not withdraw; balance ${check.balance.total.toFixed(2)} ${check.balance.currency}`
            : `the demo account answers (its venue reports no key permissions); balance ${check.balance.total.toFixed(2)} ${check.balance.currency}`,
          warnings: check.warnings,
        };
      } catch (error) {
        return { ok: false, detail: describeError(error), warnings: [] };
      } finally {
        await exchange.close().catch(() => undefined);
        await marketData.close().catch(() => undefined);
      }
    },

    async testTelegram({ token, chatId }) {
      try {
        const bot = createTelegramBot({ token, apiRoot: config.telegram?.apiRoot ?? 'https://api.telegram.org' });
        await bot.telegram.sendMessage(chatId, 'Test message from the trading daemon setup wizard: this chat will receive its messages.');
        return { ok: true, detail: 'test message sent: check the chat' };
      } catch (error) {
        return { ok: false, detail: describeError(error).split(token).join('[redacted]') };
      }
    },

    async markets() {
      const client = await createCcxtClient({ ...venue, sandbox: config.exchange.sandbox });
      try {
        const markets = await client.loadMarkets();
        return Object.values(markets)
          .filter((market) => market !== undefined && market.swap && market.linear && market.settle === 'USDT' && market.active !== false)
          .map((market) => market?.symbol as string)
          .sort();
      } finally {
        await client.close().catch(() => undefined);
      }
    },

    async write(values) {
      const existing = (await readValues(file)) ?? {};
      // Before the master key is made: a save that cannot be written must leave nothing behind.
      let temporary: string;
      try {
        await mkdir(dirname(file), { recursive: true });
        temporary = await reserveBeside(file);
      } catch (error) {
        throw notWritable(file, error);
      }
      try {
        return await writeThrough(temporary, existing, values);
      } finally {
        await rm(temporary, { force: true });
      }
    },
  };

  async function writeThrough(temporary: string, existing: Record<string, string>, values: Readonly<Record<string, string>>) {
    const { key, madeFile } = await masterKey();
    const merged = mergedWith(existing, values);
    const encrypted: string[] = [];
    for (const [name, value] of Object.entries(values)) {
      if (value === '' || !SECRET_NAMES.has(name) || isEncryptedSecret(value)) continue;
      merged[name] = encryptSecret(value, key);
      encrypted.push(name);
    }
    if (madeFile && !merged.MASTER_KEY && !merged.MASTER_KEY_FILE) merged.MASTER_KEY_FILE = madeFile;
    // Back to paper, the file forgets the sentence: going live again needs it typed again.
    if (parseVariables(VARIABLES, merged).values.get('USE_PAPER_TRADING') !== false) delete merged.LIVE_TRADING_ACKNOWLEDGED;
    const lines: string[] = [];
    const refused: string[] = [];
    for (const [name, value] of Object.entries(merged)) {
      const written = line(name, value);
      if (written === undefined) refused.push(unwritable(name));
      else lines.push(written);
    }
    if (refused.length > 0) throw new Error(refused.join('; '));
    const text = ['# Written by the dashboard setup wizard. Secrets are encrypted (enc:v1:) with the master key.', ...lines, ''].join('\n');
    // Two saves at once (a double click) each write their own file; the last rename wins whole.
    await writeFile(temporary, text, { mode: 0o600 });
    await chmod(temporary, 0o600);
    try {
      await rename(temporary, file);
    } catch (error) {
      if (['EROFS', 'EACCES', 'EPERM', 'EBUSY'].includes((error as NodeJS.ErrnoException).code ?? '')) throw notWritable(file, error);
      throw error;
    }
    return {
      file,
      encrypted,
      ...(madeFile ? { note: `the master key is in ${madeFile} (MASTER_KEY_FILE); keep a copy apart from backups of the configuration` } : {}),
    };
  }
}
