// What `/close ETH` names: the open positions of that market, so the prompt never offers to close another one. The
// owner may write the coin (ETH, eth), the pair (ETHUSDT, ETH/USDT) or the venue's symbol (ETH/USDT:USDT); nothing,
// or `all`, names every open position.

export type CloseArgument =
  | { readonly kind: 'all' }
  | { readonly kind: 'market'; readonly base: string }
  | { readonly kind: 'invalid'; readonly text: string };

/** Quotes stripped from a pair written without its slash; not USD, which ends coins' own names (SUSD, TUSD). */
const QUOTES = ['USDT', 'USDC'];

export function parseCloseArgument(payload: string): CloseArgument {
  const text = payload.trim();
  if (text === '' || text.toLowerCase() === 'all') return { kind: 'all' };
  const upper = text.toUpperCase();
  const [pair = upper] = upper.split(':');
  const [first = pair, quote] = pair.split('/');
  const base = quote !== undefined ? first : (QUOTES.map((q) => (first.endsWith(q) && first.length > q.length ? first.slice(0, -q.length) : undefined)).find((b) => b !== undefined) ?? first);
  return /^[A-Z0-9]{1,20}$/.test(base) ? { kind: 'market', base } : { kind: 'invalid', text };
}

/** The coin of a venue symbol: BTC of BTC/USDT:USDT. */
export function baseOf(symbol: string): string {
  return (symbol.split('/')[0] ?? symbol).toUpperCase();
}
