// pino JSON logs, one event per line, with secrets redacted by path and by value.
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { Logger } from '../../ports/logger.js';
import { REDACTED, SecretScrubber } from './scrub-secrets.js';

/** Field names that hold secrets wherever they appear (two levels deep, as pino's redaction needs explicit paths). */
const SECRET_FIELDS = ['apiKey', 'secret', 'secretKey', 'token', 'botToken', 'password', 'authorization', 'masterKey', 'databaseUrl', 'redisUrl'];
const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
  ...SECRET_FIELDS.map((field) => `*.*.${field}`),
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["x-mbx-apikey"]',
];

export interface LoggerOptions {
  readonly level: string;
  /** In replays, stamps each line with the simulated time as `at`. */
  readonly simulatedNow?: () => Date;
  /** Secret values to scrub from every message and field. */
  readonly secrets: readonly string[];
  readonly destination?: DestinationStream;
  readonly base?: Record<string, unknown>;
}

export function createLogger(options: LoggerOptions): PinoLogger & Logger {
  const scrubber = new SecretScrubber(options.secrets);
  return pino(
    {
      level: options.level,
      base: options.base ?? { service: 'trading-daemon' },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: options.simulatedNow ? () => ({ at: options.simulatedNow?.().toISOString() }) : undefined,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      hooks: {
        logMethod(args, method) {
          if (!scrubber.active) return method.apply(this, args);
          const cleaned = args.map((arg) => scrubber.value(arg)) as Parameters<typeof method>;
          return method.apply(this, cleaned);
        },
      },
      serializers: { err: (error: unknown) => scrubber.value(error), error: (error: unknown) => scrubber.value(error) },
    },
    options.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}
