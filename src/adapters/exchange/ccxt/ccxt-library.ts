// Loads the parts of ccxt the daemon uses: one exchange's websocket class and the error classes. ccxt's package
// entry loads all of its exchanges (over a hundred, about 45 MB resident on Node 20); the daemon trades on one, and
// on a small VPS those megabytes are a third of the memory budget. The package exports only its entry, so the two
// modules are found in the installed package by path. package-lock.json pins the version, and the adapter tests
// load both modules, so a ccxt release that moves them fails the tests, not a running daemon.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Ccxt from 'ccxt';
import { OperationalError } from '../../../domain/errors.js';

export type ExchangeClass = new (config?: Record<string, unknown>) => Ccxt.Exchange;

type ErrorClassName =
  | 'AccountSuspended'
  | 'ArgumentsRequired'
  | 'AuthenticationError'
  | 'BadRequest'
  | 'BadResponse'
  | 'DDoSProtection'
  | 'ExchangeError'
  | 'InsufficientFunds'
  | 'InvalidOrder'
  | 'NetworkError'
  | 'NotSupported'
  | 'OnMaintenance'
  | 'OperationRejected'
  | 'OrderNotFound';

/** The ccxt error classes the error translator tells apart; the same classes every ccxt exchange throws. */
export type CcxtErrorClasses = Pick<typeof Ccxt, ErrorClassName>;

/** The installed package's folder, found the way Node finds it for `import 'ccxt'`. */
function packageRoot(): string {
  const require = createRequire(import.meta.url);
  for (const modules of require.resolve.paths('ccxt') ?? []) {
    const root = join(modules, 'ccxt');
    if (existsSync(join(root, 'js', 'ccxt.js'))) return root;
  }
  throw new OperationalError('the ccxt package is not installed (run npm ci)');
}

const root = packageRoot();

export const ccxtErrors = (await import(pathToFileURL(join(root, 'js', 'src', 'base', 'errors.js')).href)) as CcxtErrorClasses;

/** The file URL of one exchange's websocket (ccxt pro) module; undefined when this ccxt has none by that id. */
export function exchangeModuleUrl(exchangeId: string): string | undefined {
  // The id comes from configuration; only a plain ccxt id may become part of a path.
  if (!/^[a-z0-9]+$/.test(exchangeId)) return undefined;
  const file = join(root, 'js', 'src', 'pro', `${exchangeId}.js`);
  return existsSync(file) ? pathToFileURL(file).href : undefined;
}

/** The websocket-capable (ccxt pro) class of one exchange, e.g. `binanceusdm`. */
export async function loadExchangeClass(exchangeId: string): Promise<ExchangeClass> {
  const url = exchangeModuleUrl(exchangeId);
  if (!url) throw new OperationalError(`exchange "${exchangeId}" is not supported by ccxt pro (websocket) in this build`);
  const candidate = ((await import(url)) as { default?: unknown }).default;
  if (typeof candidate !== 'function') throw new OperationalError(`ccxt's module for "${exchangeId}" holds no exchange class`);
  return candidate as ExchangeClass;
}
