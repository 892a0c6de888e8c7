// A position's fills and funding as the venue recorded them. The venue stamps them on its own clock, which may be
// minutes away from ours: the look-up window starts from the entry order's venue time when the venue knows the order,
// so a clock that runs ahead of the venue's cannot hide the fills that close a position.
import { clientOrderId } from '../domain/order-ids.js';
import type { Fill, FundingPayment, Position } from '../domain/trading.js';
import type { EngineContext } from './engine-context.js';

/** The window opens a little before the entry: fills and funding carry the venue's time, not ours. */
const LOOKBACK_MS = 60_000;
/**
 * Without the venue's time of the entry (an adopted position has no entry order there), only our clock says when the
 * position began, and a VPS's clock can run minutes ahead of the venue's: the window opens well before it.
 */
const LOOKBACK_WITHOUT_VENUE_TIME_MS = 15 * 60_000;
/** Venue entry times are remembered for the open positions only; the map never grows past a few entries. */
const REMEMBERED = 32;

export interface PositionHistory {
  /** When the position opened: the earlier of our clock's record and the venue's stamp on the entry order. */
  readonly openedAt: Date;
  /** Start of the look-up window: a little before `openedAt`. */
  readonly since: Date;
  readonly fills: readonly Fill[];
  readonly funding: readonly FundingPayment[];
}

export class PositionFills {
  private readonly venueOpenedAt = new Map<string, number>();

  constructor(private readonly ctx: EngineContext) {}

  /** The earliest instant a fill of this position can carry, on either clock. */
  async openedAt(position: Position): Promise<Date> {
    return (await this.opening(position)).openedAt;
  }

  private async opening(position: Position): Promise<{ openedAt: Date; since: Date }> {
    const venue = await this.venueEntryTime(position);
    const openedAt = new Date(Math.min(position.openedAt.getTime(), venue ?? Number.POSITIVE_INFINITY));
    return { openedAt, since: new Date(openedAt.getTime() - (venue === undefined ? LOOKBACK_WITHOUT_VENUE_TIME_MS : LOOKBACK_MS)) };
  }

  async history(position: Position): Promise<PositionHistory> {
    const { openedAt, since } = await this.opening(position);
    const [fills, funding] = await Promise.all([
      this.ctx.exchange.fills(position.symbol, since),
      this.ctx.exchange.fundingPayments(position.symbol, since),
    ]);
    return { openedAt, since, fills, funding };
  }

  /** Fills from a little before the entry on: what holds the entry's own fills (its fee). */
  async fills(position: Position): Promise<Fill[]> {
    return this.ctx.exchange.fills(position.symbol, (await this.opening(position)).since);
  }

  /**
   * Funding settled on the position after its opening. One at the very instant it opened was paid on what was held
   * before (a position of the same symbol closed then), as the booking counts it.
   */
  async funding(position: Position): Promise<FundingPayment[]> {
    const openedAt = await this.openedAt(position);
    return (await this.ctx.exchange.fundingPayments(position.symbol, openedAt)).filter((payment) => payment.time.getTime() > openedAt.getTime());
  }

  /**
   * When a position adopted at `adoptedAt` (our clock) starts on the venue's clock: just after the newest fill or
   * funding payment the venue lists for the symbol, other than the fills of the position's own orders (its stop,
   * placed before this is read, may have filled already). What the venue lists later is the adopted trade's, what it
   * listed before the owner's, however far our clock is from the venue's: ours a few seconds behind would take the
   * owner's entry fill for a second entry, and the trade would never be booked. `adoptedAt` when the venue lists
   * nothing from the look-up window on: the owner's fills are then older than any skew allowed for.
   */
  async adoptionStart(position: Pick<Position, 'id' | 'symbol' | 'openedAt'>): Promise<Date> {
    const adoptedAt = position.openedAt;
    const since = new Date(adoptedAt.getTime() - LOOKBACK_WITHOUT_VENUE_TIME_MS);
    const own = `${this.ctx.settings.orderIdPrefix}-${position.id}-`;
    const [fills, funding] = await Promise.all([this.ctx.exchange.fills(position.symbol, since), this.ctx.exchange.fundingPayments(position.symbol, since)]);
    const theirs = fills.filter((fill) => fill.clientOrderId?.startsWith(own) !== true);
    const newest = [...theirs, ...funding].reduce<number | undefined>((latest, row) => Math.max(latest ?? -Infinity, row.time.getTime()), undefined);
    // One millisecond on: the adopted holding's first fill carries this instant, and a settlement counts only after it.
    return newest === undefined ? adoptedAt : new Date(newest + 1);
  }

  /** The entry order's time as the venue stamped it; undefined when the venue cannot say (an adopted position). */
  private async venueEntryTime(position: Position): Promise<number | undefined> {
    const known = this.venueOpenedAt.get(position.id);
    if (known !== undefined) return known;
    const entryId = clientOrderId(this.ctx.settings.orderIdPrefix, position.id, 'entry');
    const entry = await this.ctx.exchange.findOrder(entryId, position.symbol).catch(() => undefined);
    if (entry === undefined || entry.filledQuantity <= 0) return undefined;
    const time = entry.time.getTime();
    this.venueOpenedAt.set(position.id, time);
    if (this.venueOpenedAt.size > REMEMBERED) this.venueOpenedAt.delete(this.venueOpenedAt.keys().next().value as string);
    return time;
  }
}
