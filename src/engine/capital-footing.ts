// The wallet the drawdown switch measures, and the footing it is measured on. In live mode with INITIAL_CAPITAL below
// the account's balance, the wallet is the daemon's share of it: the capital it was given plus what its own booked
// trades made or lost since. The balance alone would not move until the losses had eaten through everything above
// the cap. What an open position has already taken (a ladder step, a stop that filled in part) or paid (funding, its
// entry fee) is in the balance but in no booked trade until the position is flat, so the share counts it from the
// position's filled exit orders and its record. A peak measured on another footing (another cap, or paper against
// live) means nothing, so the switch starts afresh when the footing changes. New entries are sized on the share too,
// while it is below the cap.
import type { Position, Trade } from '../domain/trading.js';
import type { Balance } from '../ports/exchange.js';
import type { TradingStateRepository } from '../ports/store.js';
import { unbookedResults } from './closed-parts.js';
import type { EngineContext } from './engine-context.js';
import { capped, tradingAccount, type TradingAccount } from './trading-account.js';

const FOOTING_KEY = 'drawdown-footing';

/** INITIAL_CAPITAL in live mode (none in paper mode), and the moment from which booked trades count against it. */
interface Footing {
  readonly cap: number | null;
  readonly since: string;
  /** Set by `restartFooting`: the account changed under the same cap (another venue), a footing no cap tells apart. */
  readonly restarted?: true;
}

function isFooting(value: unknown): value is Footing {
  if (typeof value !== 'object' || value === null) return false;
  const footing = value as Record<string, unknown>;
  return (typeof footing.cap === 'number' || footing.cap === null) && typeof footing.since === 'string';
}

/** Makes the next start take the footing as changed: the peak and the booked trades belong to another account. */
export async function restartFooting(state: TradingStateRepository): Promise<void> {
  const saved = await state.get(FOOTING_KEY);
  const restarted: Footing = { ...(isFooting(saved) ? saved : { cap: null, since: new Date(0).toISOString() }), restarted: true };
  await state.put(FOOTING_KEY, restarted);
}

export class CapitalFooting {
  private footing: Footing | undefined;
  /** Not yet written: the drawdown switch writes it after the peak it goes with, so a failed start cannot part them. */
  private unsaved: Footing | undefined;
  private differs = false;
  /** Net P&L of the trades booked since the footing began, with the count of trades it was summed over. */
  private realised = { trades: -1, netPnl: 0 };

  constructor(private readonly ctx: EngineContext) {}

  /** True when the configured footing is not the one saved with the peak: the peak must start afresh. */
  async changed(): Promise<boolean> {
    await this.current();
    return this.differs;
  }

  /** Writes a new footing down; called once the peak measured on it has been written. */
  async save(): Promise<void> {
    if (!this.unsaved) return;
    await this.ctx.store.state.put(FOOTING_KEY, this.unsaved);
    this.unsaved = undefined;
  }

  /**
   * The trading capital, or in capped live mode the daemon's share of the account (never above the balance): the cap,
   * the trades booked since the footing began, and what the open positions have taken so far.
   */
  async wallet(open: readonly Position[]): Promise<number> {
    const cap = this.ctx.settings.capitalCap;
    if (cap === undefined) return (await tradingAccount(this.ctx)).capital;
    const [balance, share] = await Promise.all([this.ctx.exchange.balance(), this.share(cap, open)]);
    return Math.min(balance.total, share);
  }

  /**
   * The account a new entry is sized on. In capped live mode the capital is the share when it is below the cap: a
   * daemon that lost $300 of its $1000 sizes on $700, as a paper account would, instead of on the whole cap until the
   * drawdown switch stops it. A share above the cap is not traded: the owner's cap holds however well it went.
   */
  async entryAccount(open: readonly Position[]): Promise<TradingAccount> {
    const cap = this.ctx.settings.capitalCap;
    if (cap === undefined) return tradingAccount(this.ctx);
    const [balance, share] = await Promise.all([this.ctx.exchange.balance(), this.share(cap, open)]);
    return capped(balance, Math.max(0, Math.min(cap, share)));
  }

  /**
   * The trading capital once `trade` is booked, read before its booking lands (the close message goes out in the
   * booking's transaction): in capped live mode the share with the trade counted, as /status shows it afterwards.
   * `stillOpen`: the positions other than the trade's.
   */
  async afterBooking(trade: Trade, balance: Balance, stillOpen: readonly Position[]): Promise<number> {
    const cap = this.ctx.settings.capitalCap;
    if (cap === undefined) return capped(balance, cap).capital;
    return capped(balance, Math.max(0, Math.min(cap, (await this.share(cap, stillOpen)) + trade.netPnl))).capital;
  }

  /**
   * In capped live mode, the share at `at` from the trades booked since the footing began, what a period's summary
   * measures its P&L against; the cap itself before the footing began. Undefined without a cap.
   */
  async shareAt(at: Date): Promise<number | undefined> {
    const cap = this.ctx.settings.capitalCap;
    if (cap === undefined) return undefined;
    const since = new Date((await this.current()).since);
    if (at.getTime() <= since.getTime()) return cap;
    const booked = await this.ctx.store.trades.list({ from: since, to: at });
    return Math.max(0, Math.min(cap, cap + booked.reduce((sum, trade) => sum + trade.netPnl, 0)));
  }

  /**
   * The daemon's share under INITIAL_CAPITAL `cap`, before the cap and the balance bound it: the cap, what it booked
   * since, and what its open positions took or paid that no booked trade holds yet.
   */
  async share(cap: number, open: readonly Position[]): Promise<number> {
    const footing = await this.current();
    const unbooked = await unbookedResults(this.ctx.store.orders, open, this.ctx.settings.costs.takerFeeRate);
    return cap + (await this.realisedSince(footing)) + unbooked;
  }

  private async current(): Promise<Footing> {
    const cap = this.ctx.settings.capitalCap ?? null;
    if (this.footing?.cap === cap) return this.footing;
    const saved = await this.ctx.store.state.get(FOOTING_KEY);
    if (isFooting(saved) && saved.cap === cap && saved.restarted !== true) {
      this.footing = saved;
      return saved;
    }
    // None saved: a first start, or a peak kept from before footings were; it goes on as it was measured.
    this.differs = isFooting(saved);
    this.footing = { cap, since: this.ctx.clock.now().toISOString() };
    this.unsaved = this.footing;
    this.realised = { trades: -1, netPnl: 0 };
    return this.footing;
  }

  /** Summed again only when a trade has been booked since the last sum: one count per reading otherwise. */
  private async realisedSince(footing: Footing): Promise<number> {
    const { trades } = this.ctx.store;
    const count = await trades.count();
    if (count !== this.realised.trades) {
      const booked = await trades.list({ from: new Date(footing.since) });
      this.realised = { trades: count, netPnl: booked.reduce((sum, trade) => sum + trade.netPnl, 0) };
    }
    return this.realised.netPnl;
  }
}
