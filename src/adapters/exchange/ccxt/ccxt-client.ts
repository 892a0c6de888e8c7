// Builds a ccxt (pro) client for one venue: keys, timeouts, demo/sandbox, and an optional origin override that
// points REST and websocket traffic at another host (a local test venue, a relay) without losing error mapping.
import type { Exchange } from 'ccxt';
import { loadExchangeClass } from './ccxt-library.js';
import { rememberResponse } from './venue-response.js';
import { knownVenueProfile } from './venues/index.js';

export interface CcxtClientOptions {
  /** A ccxt exchange id with websocket support, e.g. `binanceusdm`. */
  readonly exchangeId: string;
  readonly apiKey?: string;
  readonly secret?: string;
  /** Constructor credentials in the venue's terms (Hyperliquid: walletAddress and privateKey); wins over apiKey/secret. */
  readonly credentials?: Readonly<Record<string, unknown>>;
  /** Replaces scheme and host of every REST URL, e.g. `http://127.0.0.1:8080`. */
  readonly apiOrigin?: string;
  /** Replaces scheme and host of every websocket URL, e.g. `ws://127.0.0.1:8080`. */
  readonly wsOrigin?: string;
  /** The venue's demo/test environment. */
  readonly sandbox?: boolean;
  readonly timeoutMs?: number;
  readonly adjustForTimeDifference?: boolean;
  /** Which of the process's clients this is: each gets its share of the venue's weight budget where the profile splits it. */
  readonly role?: 'market-data' | 'trading';
}

interface UrlRewrite {
  readonly from: string;
  readonly to: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;

function replaceOrigin(url: string, origin: string): string {
  const parsed = new URL(url);
  return origin.replace(/\/$/, '') + parsed.pathname.replace(/\/$/, '') + parsed.search;
}

/** Rewrites every URL string under `node` in place; returns the (new → original) pairs. */
function rewriteUrls(node: Record<string, unknown>, apiOrigin?: string, wsOrigin?: string): UrlRewrite[] {
  const rewrites: UrlRewrite[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === 'string') {
      const isWs = value.startsWith('ws://') || value.startsWith('wss://');
      const origin = isWs ? wsOrigin : value.startsWith('http') ? apiOrigin : undefined;
      if (origin === undefined) continue;
      const rewritten = replaceOrigin(value, origin);
      node[key] = rewritten;
      rewrites.push({ from: rewritten, to: value });
    } else if (value !== null && typeof value === 'object') {
      rewrites.push(...rewriteUrls(value as Record<string, unknown>, apiOrigin, wsOrigin));
    }
  }
  // Longest first, so `/fapi/v2` is not mistaken for `/fapi`.
  return rewrites.sort((a, b) => b.from.length - a.from.length);
}

function mapBack(url: string | undefined, rewrites: readonly UrlRewrite[]): string | undefined {
  if (url === undefined) return url;
  const hit = rewrites.find((r) => url.startsWith(r.from));
  return hit ? hit.to + url.slice(hit.from.length) : url;
}

/**
 * ccxt classifies venue error codes by the request's origin (it knows which codes mean what on fapi.binance.com).
 * With an overridden origin we hand ccxt the original URL, so `-2019` stays "insufficient funds" and not a generic
 * error; and we remember the HTTP status and Retry-After of every failed response for the error translator.
 */
function hookErrorHandling(exchange: Exchange, rewrites: readonly UrlRewrite[]): void {
  const original = exchange.handleErrors.bind(exchange);
  exchange.handleErrors = (code, reason, url, method, headers, body, response, requestHeaders, requestBody) => {
    try {
      return original(code, reason, mapBack(url, rewrites) ?? url, method, headers, body, response, requestHeaders, requestBody);
    } catch (error) {
      rememberResponse(error, code, headers as Record<string, unknown> | undefined, body);
      throw error;
    }
  };
  const originalStatus = exchange.handleHttpStatusCode.bind(exchange);
  exchange.handleHttpStatusCode = (code, reason, url, method, body) => {
    try {
      return originalStatus(code, reason, url, method, body);
    } catch (error) {
      rememberResponse(error, code, undefined, body);
      throw error;
    }
  };
}

export async function createCcxtClient(options: CcxtClientOptions): Promise<Exchange> {
  const Class = await loadExchangeClass(options.exchangeId);
  const venue = knownVenueProfile(options.exchangeId);
  const budget = options.role === undefined ? undefined : venue?.weightPerMinute?.[options.role === 'trading' ? 'trading' : 'marketData'];
  const exchange = new Class({
    ...(options.credentials ?? { apiKey: options.apiKey, secret: options.secret }),
    enableRateLimit: true,
    // The venue meters request weight per rolling minute. ccxt's default leaky bucket instead charges a heavy call's
    // weight to whatever request comes next, however long after: a funding read (30 units) would hold back the next
    // close order by 1.5 s. The rolling window keeps the same per-minute budget and counts idle time.
    rateLimiterAlgorithm: 'rollingWindow',
    rollingWindowSize: 60_000,
    // The rolling window holds 60 000 / rateLimit cost units.
    ...(budget === undefined ? {} : { rateLimit: 60_000 / budget }),
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    options: {
      // The currency list is a spot (sapi) call that needs extra permissions and is useless for futures.
      fetchCurrencies: false,
      // The order stream needs no position snapshot; ccxt would fetch one in the background and leave its pending
      // answer unhandled when the connection closes at shutdown, which ends the process.
      watchPositions: { fetchPositionsSnapshot: false },
      adjustForTimeDifference: options.adjustForTimeDifference ?? false,
      warnOnFetchOpenOrdersWithoutSymbol: false,
      fetchOpenOrders: { warnWithoutSymbol: false },
      ...venue?.clientOptions,
    },
  });
  venue?.configure?.(exchange);
  if (options.sandbox) {
    const demo = (exchange as unknown as { enableDemoTrading?: (on: boolean) => void }).enableDemoTrading;
    if (typeof demo === 'function') demo.call(exchange, true);
    else exchange.setSandboxMode(true);
  }
  const api = exchange.urls['api'] as Record<string, unknown>;
  const rewrites = rewriteUrls(api, options.apiOrigin, options.wsOrigin);
  hookErrorHandling(exchange, rewrites);
  if (options.wsOrigin?.startsWith('ws://')) {
    // ccxt refuses plain ws:// unless an http agent is loaded first.
    await exchange.loadHttpProxyAgent();
  }
  return exchange;
}
