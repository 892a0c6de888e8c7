// Translation of driver errors into the domain's error kinds, at the adapter boundary.
import { TemporaryError } from '../../domain/errors.js';

interface DriverError {
  readonly code?: unknown;
  readonly constraint?: unknown;
  readonly message?: unknown;
  readonly detail?: unknown;
}

function asDriverError(error: unknown): DriverError | undefined {
  return typeof error === 'object' && error !== null ? (error as DriverError) : undefined;
}

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const driverError = asDriverError(error);
  return driverError?.code === '23505' && driverError.constraint === constraint;
}

/** The key value of a unique violation, from its detail: `Key (symbol)=(BTC/USDT:USDT) already exists.` */
export function conflictingKey(error: unknown): string | undefined {
  const detail = asDriverError(error)?.detail;
  if (typeof detail !== 'string') return undefined;
  return /^Key \([^)]*\)=\((.*)\) already exists/.exec(detail)?.[1];
}

export function isForeignKeyViolation(error: unknown): boolean {
  return asDriverError(error)?.code === '23503';
}

// SQLSTATE classes and codes that say "the server or the connection is not there right now", not "your SQL is wrong".
const TEMPORARY_SQLSTATES = new Set([
  '57P01', // admin_shutdown (server restart, pg_terminate_backend)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '57014', // query_canceled (statement timeout)
  '53300', // too_many_connections
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

const TEMPORARY_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// pg reports some connection failures without a code.
const TEMPORARY_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /connection is closed/i,
];

/**
 * Class 08 is about the connection, except 08P01 (protocol_violation): the server refusing what it was sent, such
 * as a statement of more than 65,535 parameters. Sent again it is refused again, so retrying it would wait forever.
 */
function isConnectionException(code: string): boolean {
  return code.startsWith('08') && code !== '08P01';
}

export function isTemporaryDatabaseError(error: unknown): boolean {
  const driverError = asDriverError(error);
  if (!driverError) return false;
  const code = typeof driverError.code === 'string' ? driverError.code : '';
  if (TEMPORARY_SQLSTATES.has(code) || isConnectionException(code) || TEMPORARY_NODE_CODES.has(code)) return true;
  const message = typeof driverError.message === 'string' ? driverError.message : '';
  return TEMPORARY_MESSAGES.some((pattern) => pattern.test(message));
}

/** Outages become TemporaryError (the engine retries with backoff); everything else is passed on unchanged. */
export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof TemporaryError || !isTemporaryDatabaseError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TemporaryError(`database unavailable: ${message}`, undefined, { cause: error });
}
