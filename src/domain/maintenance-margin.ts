// First-bracket maintenance margin rates of Binance USDⓈ-M (public leverage brackets; a position of a hobby
// account's size never leaves the first bracket). Used when the venue's brackets are not available (no keys,
// replay). Unknown symbols get the conservative rate: a higher rate puts liquidation closer, never farther.

const FIRST_BRACKET_RATE: Readonly<Record<string, number>> = {
  BTC: 0.004,
  ETH: 0.005,
  BNB: 0.005,
  SOL: 0.005,
  XRP: 0.005,
  DOGE: 0.005,
  ADA: 0.0065,
  AVAX: 0.0065,
  LINK: 0.0065,
  DOT: 0.0065,
};

export const CONSERVATIVE_MAINTENANCE_MARGIN_RATE = 0.01;

export function firstBracketMaintenanceRate(base: string): number {
  return FIRST_BRACKET_RATE[base] ?? CONSERVATIVE_MAINTENANCE_MARGIN_RATE;
}
