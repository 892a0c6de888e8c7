// The venue's account history read back as positions ("episodes": from flat to flat on one symbol), compared with
// what the daemon recorded. Finds double entries, client ids used for two fills, closes without a trade row, and
// trade rows whose fills are not the venue's.
import type { VenueBook } from './protection-monitor.js';
import type { SoakDatabase, StoredTrade } from './soak-database.js';

export interface Episode {
  readonly symbol: string;
  /** The daemon's position id, from the first opening order's client id (`<prefix>-<id>-entry`). */
  readonly positionId?: string;
  /** Opening (position-increasing) orders: more than one is a double entry. */
  readonly openingOrders: string[];
  readonly tradeIds: string[];
  /** Venue time of the first fill, and of the fill that made it flat again. */
  readonly openedAt: number;
  closedAt?: number;
}

export interface LedgerAudit {
  readonly episodes: readonly Episode[];
  readonly closed: number;
  /** Closed on the venue, no trade row (and older than the grace). */
  readonly missingTrades: readonly Episode[];
  /** Trade row present, but its fills are not the venue's fills of that position. */
  readonly mismatchedTrades: readonly { episode: Episode; trade: StoredTrade }[];
  /** Episodes with more than one opening order. */
  readonly doubleEntries: readonly Episode[];
  /** Client ids of ours with more than one filled order. */
  readonly reusedClientIds: readonly string[];
  /** Positions the venue holds that no order of ours opened. */
  readonly foreignEpisodes: number;
  /** Closed but too recently to expect the booking yet. */
  readonly pending: number;
}

export function venueEpisodes(venue: VenueBook, prefix: string): Episode[] {
  const orders = new Map(venue.book.orders.map((order) => [order.orderId, order]));
  const amounts = new Map<string, number>();
  const open = new Map<string, Episode>();
  const episodes: Episode[] = [];
  for (const trade of venue.book.trades) {
    const order = orders.get(trade.orderId);
    const before = amounts.get(trade.symbol) ?? 0;
    const signed = trade.side === 'BUY' ? trade.qty : -trade.qty;
    const after = Math.abs(before + signed) < 1e-12 ? 0 : before + signed;
    amounts.set(trade.symbol, after);
    let episode = open.get(trade.symbol);
    if (!episode) {
      const match = new RegExp(`^${prefix}-(\\d+)-entry$`).exec(order?.clientOrderId ?? '');
      episode = { symbol: trade.symbol, openingOrders: [], tradeIds: [], openedAt: trade.time, ...(match?.[1] ? { positionId: match[1] } : {}) };
      open.set(trade.symbol, episode);
      episodes.push(episode);
    }
    episode.tradeIds.push(String(trade.id));
    const increases = before === 0 || Math.sign(before) === Math.sign(signed);
    // Only the daemon's own orders can make a double entry; the owner adding by hand is not one.
    const ours = order?.clientOrderId.startsWith(`${prefix}-`) ?? false;
    if (increases && ours && !episode.openingOrders.includes(String(trade.orderId))) episode.openingOrders.push(String(trade.orderId));
    if (after === 0) {
      episode.closedAt = trade.time;
      open.delete(trade.symbol);
    }
  }
  return episodes;
}

export function reusedClientIds(venue: VenueBook, prefix: string): string[] {
  const fills = new Map<string, number>();
  for (const order of venue.book.orders) {
    if (order.status !== 'FILLED' || !order.clientOrderId.startsWith(`${prefix}-`)) continue;
    fills.set(order.clientOrderId, (fills.get(order.clientOrderId) ?? 0) + 1);
  }
  return [...fills].filter(([, count]) => count > 1).map(([id]) => id);
}

/**
 * `graceSim`: a position closed on the venue less than this long ago (venue time) may not be booked yet; the daemon
 * books at its next check.
 */
export async function auditLedger(venue: VenueBook, database: SoakDatabase, prefix: string, graceSim = 0): Promise<LedgerAudit> {
  const episodes = venueEpisodes(venue, prefix);
  const trades = new Map((await database.trades()).map((trade) => [trade.positionId, trade]));
  const now = venue.now();
  const missingTrades: Episode[] = [];
  const mismatchedTrades: { episode: Episode; trade: StoredTrade }[] = [];
  let pending = 0;
  for (const episode of episodes.filter((e) => e.closedAt !== undefined && e.positionId !== undefined)) {
    const trade = trades.get(episode.positionId as string);
    if (!trade) {
      if (now - (episode.closedAt as number) < graceSim) pending += 1;
      else missingTrades.push(episode);
      continue;
    }
    const booked = [...trade.fillIds].sort().join(',');
    const onVenue = [...episode.tradeIds].sort().join(',');
    if (booked !== onVenue) mismatchedTrades.push({ episode, trade });
  }
  return {
    episodes,
    closed: episodes.filter((e) => e.closedAt !== undefined).length,
    missingTrades,
    mismatchedTrades,
    doubleEntries: episodes.filter((e) => e.openingOrders.length > 1),
    reusedClientIds: reusedClientIds(venue, prefix),
    foreignEpisodes: episodes.filter((e) => e.positionId === undefined).length,
    pending,
  };
}

export function describeEpisode(episode: Episode): string {
  const when = new Date(episode.openedAt).toISOString().slice(5, 16).replace('T', ' ');
  return `${episode.symbol} position ${episode.positionId ?? '(not ours)'} opened ${when}`;
}
