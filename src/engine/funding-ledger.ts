// Funding settled on each open position. It changes only at settlement times, which the market data announces, so
// the exchange is read again only once a settlement has passed; on Binance that read costs 30 request-weight units,
// a second and a half of rate-limit budget that the path from a price alert to a close cannot afford.
import { SETTLEMENT_POSTING_MS } from '../domain/funding-posting.js';
import type { Position } from '../domain/trading.js';
import type { EngineContext } from './engine-context.js';
import type { PositionFills } from './position-fills.js';

const RE_READ_WHILE_POSTING_MS = 2 * 60_000;

interface Known {
  readonly total: number;
  /** The cached total holds until this instant (the next settlement, or a re-read while one is being posted). */
  readonly validUntil: number;
  /** The settlement time that was next when this was read. */
  readonly nextSettlement: number;
}

export class FundingLedger {
  private readonly known = new Map<string, Known>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly fills: PositionFills,
  ) {}

  /** Funding received (+) or paid (-) since entry, as the exchange has booked it up to now. */
  async settled(position: Position): Promise<number> {
    const now = this.ctx.clock.now().getTime();
    const cached = this.known.get(position.id);
    if (cached && now < cached.validUntil) return cached.total;
    const [payments, funding] = await Promise.all([
      this.fills.funding(position),
      this.ctx.marketData.fundingRate(position.symbol),
    ]);
    const total = payments.reduce((sum, payment) => sum + payment.amount, 0);
    const justSettled = cached !== undefined && now - cached.nextSettlement < SETTLEMENT_POSTING_MS;
    const nextSettlement = funding.nextFundingTime.getTime();
    const validUntil = justSettled ? now + RE_READ_WHILE_POSTING_MS : Math.max(nextSettlement, now + RE_READ_WHILE_POSTING_MS);
    this.known.set(position.id, { total, validUntil, nextSettlement: justSettled ? cached.nextSettlement : nextSettlement });
    // Only open positions are asked about, so the map stays as small as the number of open positions.
    if (this.known.size > 32) this.known.delete(this.known.keys().next().value as string);
    return total;
  }
}
