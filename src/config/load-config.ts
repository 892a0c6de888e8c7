// The only reader of the environment: merges `.env` under the process environment, resolves `<NAME>_FILE`
// secrets, validates everything, and either returns a typed config or every problem at once.
import { readFileSync } from 'node:fs';
import dotenv from 'dotenv';
import { configurationWarnings } from './config-warnings.js';
import type { AppConfig } from './app-config.js';
import { parseVariables } from './parse-variables.js';
import { VARIABLES, type VariableSpec } from './variables.js';
import { buildAppConfig } from './build-app-config.js';
import { readShadowDefinitions, shadowStrategies } from './shadow-strategies.js';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((line) => `  - ${line}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Path of a dotenv file; its values apply only where the environment has none. */
  readonly dotenvPath?: string;
  readonly readFile?: (path: string) => string;
  /** Turns an `enc:v1:` value into plain text; throws with a message free of secrets when it cannot. */
  readonly decryptSecret?: (value: string, masterKey: string | undefined) => string;
  /** Values that win over the environment and the dotenv file (one setting of a walk-forward grid). */
  readonly overrides?: Readonly<Record<string, string>>;
}

function readDotenv(path: string | undefined): Record<string, string> {
  if (!path) return {};
  try {
    return dotenv.parse(readFileSync(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return {};
    // A configuration error with its remedy, where the raw EACCES or EISDIR said nothing of what to do.
    if (code === 'EACCES' || code === 'EPERM') {
      throw new ConfigError([`${path}: the daemon (user id ${process.getuid?.() ?? 'unknown'}) may not read this configuration file; let that user read it.`]);
    }
    if (code === 'EISDIR') throw new ConfigError([`${path}: is a folder, not a configuration file; remove it and create the file (cp .env.example .env).`]);
    throw error;
  }
}

function resolveSecretFiles(
  specs: readonly VariableSpec[],
  merged: Record<string, string | undefined>,
  readFile: (path: string) => string,
  problems: string[],
): void {
  for (const spec of specs) {
    if (!spec.secret) continue;
    const filePath = merged[`${spec.name}_FILE`];
    if (!filePath) continue;
    if (merged[spec.name]) {
      problems.push(`${spec.name}: set both ${spec.name} and ${spec.name}_FILE; keep one.`);
      continue;
    }
    let secret: string;
    try {
      secret = readFile(filePath).replace(/\r?\n$/, '');
    } catch {
      problems.push(`${spec.name}_FILE: cannot read ${JSON.stringify(filePath)}; allowed: a readable file holding the secret.`);
      continue;
    }
    // Taken as unset, an empty file would turn off what it was meant to turn on (Telegram, a provider) without a word.
    if (secret.trim() === '') problems.push(`${spec.name}_FILE: ${JSON.stringify(filePath)} is empty; allowed: a readable file holding the secret.`);
    else merged[spec.name] = secret;
  }
}

function decryptSecrets(
  specs: readonly VariableSpec[],
  merged: Record<string, string | undefined>,
  decrypt: LoadConfigOptions['decryptSecret'],
  problems: string[],
): void {
  const masterKey = merged.MASTER_KEY;
  for (const spec of specs) {
    const value = merged[spec.name];
    if (!spec.secret || !value?.startsWith('enc:')) continue;
    if (!decrypt) {
      problems.push(`${spec.name}: holds an encrypted value, but this build cannot decrypt secrets.`);
      continue;
    }
    try {
      merged[spec.name] = decrypt(value, masterKey);
    } catch (error) {
      problems.push(`${spec.name}: ${(error as Error).message}`);
    }
  }
}

/** The process's environment, which wins over `.env` at every start: read here, where configuration is read. */
export function daemonEnvironment(): Readonly<Record<string, string | undefined>> {
  return process.env;
}

/** The variables as set: `.env` under the environment (the process's unless given), the overrides over both. */
function mergedVariables(
  options: Pick<LoadConfigOptions, 'env' | 'dotenvPath' | 'overrides'>,
  onFile: Readonly<Record<string, string>> = readDotenv(options.dotenvPath),
): Record<string, string | undefined> {
  return { ...onFile, ...(options.env ?? process.env), ...options.overrides };
}

/**
 * What a replay reads that the machine's settings may change: risk, sizing, exits, schedule, costs and the venue
 * (its fees). Not secrets, not services, not the switch to live trading, not files (the shadows', the calendar's).
 */
const REPLAY_SECTIONS: ReadonlySet<VariableSpec['section']> = new Set(['trading', 'risk', 'exits', 'schedule', 'costs']);
const REPLAY_EXTRAS = new Set(['EXCHANGE', 'MARGIN_MODE']);
// The calendar travels as its events (a path means nothing on another machine).
const NOT_FOR_REPLAY = new Set(['USE_PAPER_TRADING', 'LIVE_TRADING_ACKNOWLEDGED', 'SHADOW_STRATEGIES', 'CALENDAR_FILE']);

/**
 * The replay's variables as this process has them set (environment over `.env`), as text: a sweep sends them with
 * each trial, so a worker on another machine replays with the settings of the machine that started the sweep, never
 * its own, and a sweep started with other settings is another sweep.
 */
export function replayVariables(options: Pick<LoadConfigOptions, 'env' | 'dotenvPath'> = {}): Record<string, string> {
  const merged = mergedVariables(options);
  const variables: Record<string, string> = {};
  for (const spec of VARIABLES) {
    const value = merged[spec.name];
    if (spec.secret || NOT_FOR_REPLAY.has(spec.name) || !(REPLAY_SECTIONS.has(spec.section) || REPLAY_EXTRAS.has(spec.name))) continue;
    if (value !== undefined && value !== '') variables[spec.name] = value;
  }
  return variables;
}

/**
 * The variables as the daemon reads them before its checks: each secret given as a `_FILE` read from it, and each
 * encrypted one decrypted (MASTER_KEY itself may come from MASTER_KEY_FILE, so files come first).
 */
export function resolvedVariables(
  given: Readonly<Record<string, string | undefined>>,
  options: Pick<LoadConfigOptions, 'readFile' | 'decryptSecret'> = {},
): { readonly values: Record<string, string | undefined>; readonly problems: string[] } {
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const values = { ...given };
  const problems: string[] = [];
  resolveSecretFiles(VARIABLES, values, readFile, problems);
  decryptSecrets(VARIABLES, values, options.decryptSecret, problems);
  return { values, problems };
}

export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const onFile = readDotenv(options.dotenvPath);
  const { values: merged, problems } = resolvedVariables(mergedVariables(options, onFile), { readFile, ...(options.decryptSecret ? { decryptSecret: options.decryptSecret } : {}) });
  const checked = checkVariables(merged, readFile);
  problems.push(...checked.problems);
  if (problems.length > 0 || checked.config === undefined) throw new ConfigError(problems);
  const warnings = configurationWarnings(Object.keys(onFile), options.env ?? process.env, merged);
  return warnings.length === 0 ? checked.config : { ...checked.config, warnings: [...checked.config.warnings, ...warnings] };
}

/**
 * Every check the daemon makes of its variables once they are read (the schema, the settings built from it, the
 * shadow strategies), in the order it makes them: the configuration it would start with, or what stops it.
 */
export function checkVariables(
  merged: Readonly<Record<string, string | undefined>>,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): { readonly config?: AppConfig; readonly problems: readonly string[] } {
  const parsed = parseVariables(VARIABLES, merged);
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  const built = buildAppConfig(parsed.values);
  if (built.problems.length > 0) return { problems: built.problems };
  const read = readShadowDefinitions(parsed.values.get('SHADOW_STRATEGIES') as string | undefined, readFile);
  const variants = shadowStrategies(read.definitions, merged, built.config);
  const problems = [...read.problems, ...variants.problems];
  return problems.length > 0 ? { problems } : { config: { ...built.config, shadows: variants.shadows }, problems: [] };
}
