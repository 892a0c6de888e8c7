// Which ccxt markets this daemon may trade (linear perpetuals settled in a dollar stablecoin, trading) and their
// MarketSpec.
import type { MarketInterface as Market } from 'ccxt';
import { firstBracketMaintenanceRate } from '../../../domain/maintenance-margin.js';
import type { MarketSpec } from '../../../domain/market.js';
import { positive } from '../../exchange/ccxt/wire-numbers.js';

/**
 * Why a market is refused: not on the venue's list, listed but of a kind this daemon does not trade (a configuration
 * error), or listed and of the right kind but not trading now (delisted, settling, suspended: the venue's doing).
 */
export type RefusalKind = 'unlisted' | 'unsupported' | 'not-trading';

export interface MarketRefusal {
  readonly kind: RefusalKind;
  readonly reason: string;
}

export type MarketCheck = { readonly ok: true; readonly spec: MarketSpec } | ({ readonly ok: false } & MarketRefusal);

const FALLBACK_MAX_LEVERAGE = 20;

/** Settlement assets the daemon's accounting understands: dollar stablecoins, shown as "$". */
export const SETTLEMENT_ASSETS: readonly string[] = ['USDT', 'USDC'];

function expiryText(market: Market): string {
  return market.expiry ? ` expiring ${new Date(market.expiry).toISOString().slice(0, 10)}` : '';
}

/** Why `market` cannot be traded here, or undefined when it can. */
export function refusalReason(requested: string, market: Market | undefined, exchangeId: string): string | undefined {
  return refusalOf(requested, market, exchangeId)?.reason;
}

/** Why and in what way `market` cannot be traded here, or undefined when it can. */
export function refusalOf(requested: string, market: Market | undefined, exchangeId: string): MarketRefusal | undefined {
  if (!market) {
    const example = exchangeId === 'hyperliquid' ? 'BTC/USDC:USDC' : 'BTC/USDT:USDT';
    return { kind: 'unlisted', reason: `"${requested}" is not listed on ${exchangeId}; use a unified symbol BASE/QUOTE:SETTLE such as ${example}` };
  }
  const named = market.symbol === requested ? `"${requested}"` : `"${requested}" (${market.symbol})`;
  const unsupported = (reason: string): MarketRefusal => ({ kind: 'unsupported', reason });
  if (market.type !== 'swap') {
    return unsupported(`${named} is a ${market.type ?? 'non-perpetual'} contract${expiryText(market)}, not a perpetual swap`);
  }
  if (market.linear !== true) return unsupported(`${named} is an inverse (coin-margined) contract, not a linear one`);
  if (!SETTLEMENT_ASSETS.includes(market.settle ?? '')) {
    return unsupported(
      `${named} settles in ${market.settle ?? 'an unknown currency'}, not in ${SETTLEMENT_ASSETS.join(' or ')}; use ${market.base}/USDT:USDT or ${market.base}/USDC:USDC where listed`,
    );
  }
  if (market.active === false) return { kind: 'not-trading', reason: `${named} is not trading at the moment (delisted or suspended)` };
  return undefined;
}

/** Venue limits that imply a maximum leverage when ccxt does not report one (Binance: requiredMarginPercent). */
function maxLeverageOf(market: Market): number {
  const reported = market.limits?.leverage?.max;
  if (typeof reported === 'number' && Number.isFinite(reported) && reported > 0) return reported;
  const requiredMarginPercent = Number((market.info as Record<string, unknown> | undefined)?.['requiredMarginPercent']);
  if (Number.isFinite(requiredMarginPercent) && requiredMarginPercent > 0) {
    return Math.floor(100 / requiredMarginPercent);
  }
  return FALLBACK_MAX_LEVERAGE;
}

/**
 * Hyperliquid's maintenance margin is half the initial margin at the market's maximum leverage (its documented rule);
 * elsewhere the first bracket's published rate stands in, since public data has no brackets.
 */
function maintenanceRateOf(market: Market, maxLeverage: number, exchangeId: string): number {
  return exchangeId === 'hyperliquid' ? 0.5 / maxLeverage : firstBracketMaintenanceRate(market.base);
}

/** Hyperliquid's significant figures in a price: whole numbers are always allowed, fractions only up to this many. */
const HYPERLIQUID_SIGNIFICANT_FIGURES = 5;
/** How far above the loaded price the tick must still be a valid price: stops, targets and limits lie well within. */
const HYPERLIQUID_TICK_REACH = 2;

/**
 * The price step of a market. Hyperliquid's step grows with the price (5 significant figures), and ccxt rounds every
 * price it sends to the nearest such value; its `precision.price` is the step at the price when the list was loaded
 * (hourly on this venue, market-list.ts). A short's stop above a power of ten (ETH at 9,901.3, its stop at 10,495.3 on
 * a 0.1 step) would be moved half a unit by that rounding, against the side the risk manager rounded to, and then
 * never match the stop the daemon verifies. The step at twice the loaded price is valid at every price up to there (a
 * coarser power of ten is a multiple of every finer one), so the rounding the daemon does on it is the venue's.
 */
function tickSizeOf(market: Market, exchangeId: string, where: string): number {
  const listed = positive(market.precision?.price, `${where}.precision.price`);
  if (exchangeId !== 'hyperliquid' || listed >= 1) return listed;
  const loadedAt = Number((market.info as Record<string, unknown> | undefined)?.['markPx']);
  if (!Number.isFinite(loadedAt) || loadedAt <= 0) return Math.min(1, listed * 10);
  const digits = Math.floor(Math.log10(loadedAt * HYPERLIQUID_TICK_REACH)) + 1;
  const step = digits >= HYPERLIQUID_SIGNIFICANT_FIGURES ? 1 : Number(`1e${digits - HYPERLIQUID_SIGNIFICANT_FIGURES}`);
  return Math.max(listed, step);
}

export function marketSpecOf(market: Market, exchangeId = 'binanceusdm'): MarketSpec {
  const where = `market ${market.symbol}`;
  const amountStep = positive(market.precision?.amount, `${where}.precision.amount`);
  const minAmount = market.limits?.amount?.min ?? amountStep;
  return {
    symbol: market.symbol,
    id: market.id ?? market.symbol,
    base: market.base,
    quote: market.quote,
    tickSize: tickSizeOf(market, exchangeId, where),
    amountStep,
    minAmount: positive(minAmount, `${where}.limits.amount.min`),
    minNotional: market.limits?.cost?.min ?? 0,
    maintenanceMarginRate: maintenanceRateOf(market, maxLeverageOf(market), exchangeId),
    maintenanceAmount: 0,
    maxLeverage: maxLeverageOf(market),
  };
}

export function checkMarket(requested: string, market: Market | undefined, exchangeId: string): MarketCheck {
  const refusal = refusalOf(requested, market, exchangeId);
  if (refusal !== undefined) return { ok: false, ...refusal };
  if (!market) return { ok: false, kind: 'unlisted', reason: `"${requested}" is unknown` };
  return { ok: true, spec: marketSpecOf(market, exchangeId) };
}
