// Which ccxt markets this daemon may trade (linear USDT-settled perpetuals that are trading) and their MarketSpec.
import type { MarketInterface as Market } from 'ccxt';
import { firstBracketMaintenanceRate } from '../../../domain/maintenance-margin.js';
import type { MarketSpec } from '../../../domain/market.js';
import { positive } from '../../exchange/ccxt/wire-numbers.js';

export type MarketCheck = { readonly ok: true; readonly spec: MarketSpec } | { readonly ok: false; readonly reason: string };

const FALLBACK_MAX_LEVERAGE = 20;

function expiryText(market: Market): string {
  return market.expiry ? ` expiring ${new Date(market.expiry).toISOString().slice(0, 10)}` : '';
}

/** Why `market` cannot be traded here, or undefined when it can. */
export function refusalReason(requested: string, market: Market | undefined, exchangeId: string): string | undefined {
  if (!market) {
    return `"${requested}" is not listed on ${exchangeId}; use a unified symbol such as BTC/USDT:USDT`;
  }
  const named = market.symbol === requested ? `"${requested}"` : `"${requested}" (${market.symbol})`;
  if (market.type !== 'swap') {
    return `${named} is a ${market.type ?? 'non-perpetual'} contract${expiryText(market)}, not a perpetual swap`;
  }
  if (market.linear !== true) return `${named} is an inverse (coin-margined) contract, not a linear one`;
  if (market.settle !== 'USDT') {
    return `${named} settles in ${market.settle ?? 'an unknown currency'}, not USDT; use ${market.base}/USDT:USDT`;
  }
  if (market.active === false) return `${named} is not trading at the moment (delisted or suspended)`;
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

export function marketSpecOf(market: Market): MarketSpec {
  const where = `market ${market.symbol}`;
  const amountStep = positive(market.precision?.amount, `${where}.precision.amount`);
  const minAmount = market.limits?.amount?.min ?? amountStep;
  return {
    symbol: market.symbol,
    id: market.id ?? market.symbol,
    base: market.base,
    quote: market.quote,
    tickSize: positive(market.precision?.price, `${where}.precision.price`),
    amountStep,
    minAmount: positive(minAmount, `${where}.limits.amount.min`),
    minNotional: market.limits?.cost?.min ?? 0,
    // Public data has no leverage brackets; the first bracket's published rate is the honest stand-in.
    maintenanceMarginRate: firstBracketMaintenanceRate(market.base),
    maintenanceAmount: 0,
    maxLeverage: maxLeverageOf(market),
  };
}

export function checkMarket(requested: string, market: Market | undefined, exchangeId: string): MarketCheck {
  const reason = refusalReason(requested, market, exchangeId);
  if (reason !== undefined || !market) return { ok: false, reason: reason ?? `"${requested}" is unknown` };
  return { ok: true, spec: marketSpecOf(market) };
}
