// The shadow strategies against the main account: each account's P&L and drawdown since the shadow first ran, and
// the significance test (domain/performance) that must pass before a variant is called better.
import { accountFigures, compareVariant, datedReturns, DEFAULT_COMPARISON_RULE, type AccountRecord, type ComparisonRule } from '../domain/performance/variant-comparison.js';
import type { Position, Trade } from '../domain/trading.js';
import { capitalWithin } from '../domain/trading-capital.js';
import type { Clock } from '../ports/clock.js';
import type { AccountStanding, ShadowBoard, ShadowStanding } from '../ports/control.js';
import type { Exchange } from '../ports/exchange.js';
import type { Store } from '../ports/store.js';
import { CapitalFooting } from './capital-footing.js';
import { unbookedResults } from './closed-parts.js';
import { lastPaperTransferAt } from './paper-funding.js';
import type { EngineContext } from './engine-context.js';

/** Where a shadow's store remembers when it first ran, so its window survives a restart. */
export const SHADOW_START_KEY = 'shadow-start';

/** What the leaderboard reads of a shadow: its own store and paper venue, never the main account's. */
export interface ShadowAccount {
  readonly name: string;
  readonly changes: Readonly<Record<string, string>>;
  readonly store: Store;
  readonly exchange: Exchange;
  /** Why the shadow is not trading (it could not start, or its loop stopped on an error); undefined while it runs. */
  readonly problem?: () => string | undefined;
}

/** When the shadow first ran, if it has. */
export async function shadowStart(store: Store): Promise<Date | undefined> {
  const saved = await store.state.get(SHADOW_START_KEY);
  const at = typeof saved === 'object' && saved !== null && 'at' in saved ? new Date(String(saved.at)) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : undefined;
}

/**
 * Records the shadow's first start; later starts keep it while the variant is the same. `definition` says what the
 * variant is (its settings, analysts and prompt note): edited under the same name, it is another variant, and its
 * window starts again now, or the trades of the old one would be judged beside the new settings.
 */
export async function markShadowStart(store: Store, clock: Clock, definition = ''): Promise<{ readonly at: Date; readonly restarted: boolean }> {
  const saved = await store.state.get(SHADOW_START_KEY);
  const at = await shadowStart(store);
  const savedDefinition = typeof saved === 'object' && saved !== null && 'definition' in saved ? String(saved.definition) : undefined;
  // A start recorded before definitions were kept is taken for this variant's.
  if (at && (savedDefinition === undefined || savedDefinition === definition)) {
    if (savedDefinition === undefined) await store.state.put(SHADOW_START_KEY, { at: at.toISOString(), definition });
    return { at, restarted: false };
  }
  const now = clock.now();
  await store.state.put(SHADOW_START_KEY, { at: now.toISOString(), definition });
  return { at: now, restarted: at !== undefined };
}

interface Window {
  readonly since: Date;
  /** The wallet at `since`, uncapped: the balance less the window's results, booked or not yet. */
  readonly walletThen: number;
  readonly trades: readonly Trade[];
  readonly record: AccountRecord;
  readonly openPositions: number;
}

export class ShadowLeaderboard {
  constructor(
    private readonly main: EngineContext,
    private readonly shadows: readonly ShadowAccount[],
    private readonly rule: ComparisonRule = DEFAULT_COMPARISON_RULE,
    /** The main account's wallet as the engine sizes from it: in capped live mode, its share of the account. */
    private readonly mainFooting: CapitalFooting = new CapitalFooting(main),
  ) {}

  /** The shadows it ranks (the owner's other reports read their stores too, e.g. their AI spend). */
  get accounts(): readonly ShadowAccount[] {
    return this.shadows;
  }

  async board(): Promise<ShadowBoard> {
    const now = this.main.clock.now();
    const rule = { checkpoints: this.rule.checkpoints, errorRate: this.rule.errorRate, resamples: this.rule.resamples };
    if (this.shadows.length === 0) return { now, shadows: [], rule };
    // A record of trades from a starting wallet has no place for money paid in or taken out: a window starts after the
    // last such change of either account, so the returns on both sides are measured on what each account held.
    const mainMoved = await lastPaperTransferAt(this.main.store.state);
    const windows = await Promise.all(
      this.shadows.map(async (shadow) => {
        const balance = async () => (await shadow.exchange.balance()).total;
        const since = latest([(await shadowStart(shadow.store)) ?? now, mainMoved, await lastPaperTransferAt(shadow.store.state)]);
        return { shadow, window: await this.window(shadow.store, balance, undefined, since) };
      }),
    );
    const earliest = new Date(Math.min(...windows.map(({ window }) => window.since.getTime())));
    const main = await this.window(this.main.store, (open) => this.mainFooting.wallet(open), this.main.settings.capitalCap, earliest);
    const shadows = windows.map(({ shadow, window }): ShadowStanding => {
      // The main account over the shadow's own window: the same market, the same time. A trade the main account opened
      // before the shadow existed is not one the shadow could have made.
      const mainTrades = main.trades.filter((trade) => trade.openedAt.getTime() >= window.since.getTime());
      const walletThen = main.walletThen + sumNet(main.trades) - sumNet(mainTrades);
      const record = accountRecord(walletThen, mainTrades, this.main.settings.capitalCap);
      const mainWindow: Window = { since: window.since, walletThen, trades: mainTrades, record, openPositions: main.openPositions };
      const comparison = compareVariant(datedReturns(mainWindow.record), datedReturns(window.record), this.rule);
      const problem = shadow.problem?.();
      return { ...standing(shadow.name, window), changes: shadow.changes, comparison, main: standing('main', mainWindow), ...(problem ? { problem } : {}) };
    });
    return { now, main: standing('main', main), shadows, rule };
  }

  /**
   * The account over the window. Its wallet holds every realised result: the window's booked trades, and what its
   * open positions have taken or paid so far (take-profit steps, funding, the entry fee), none of it in a trade yet.
   * Both come out of it to find where the window started (no money was paid in or taken out since: see `board`).
   */
  private async window(store: Store, wallet: (open: readonly Position[]) => Promise<number>, cap: number | undefined, since: Date): Promise<Window> {
    const [closed, active] = await Promise.all([store.trades.list({ from: since }), store.positions.active()]);
    // Opened in the window too: one opened before it (before the shadow existed, or under a variant's old settings)
    // counts with what came before, in the wallet it started from.
    const trades = closed.filter((trade) => trade.openedAt.getTime() >= since.getTime());
    const open = active.filter((position) => position.openedAt.getTime() >= since.getTime());
    const takerFeeRate = this.main.settings.costs?.takerFeeRate ?? 0;
    const [now, unbooked] = await Promise.all([wallet(active), unbookedResults(store.orders, open, takerFeeRate)]);
    const walletThen = now - sumNet(trades) - unbooked;
    return { since, walletThen, trades, record: accountRecord(walletThen, trades, cap), openPositions: active.length };
  }
}

function standing(name: string, window: Window): AccountStanding {
  const figures = accountFigures(window.record);
  return {
    name,
    since: window.since,
    startEquity: window.record.startEquity,
    trades: figures.trades,
    netPnl: figures.netPnl,
    returnPct: figures.returnPct,
    maxDrawdownPct: figures.maxDrawdownPct,
    winRate: figures.winRate,
    openPositions: window.openPositions,
  };
}

/**
 * An account's record from the wallet at the window's start: capped as the engine capped its capital then, and each
 * trade measured on the capital it was sized from. Capping today's balance instead would shift a live account above
 * its cap by its own P&L (gains from a smaller start, losses from a larger).
 */
function accountRecord(walletThen: number, trades: readonly Trade[], cap: number | undefined): AccountRecord {
  const results = trades.map(toResult);
  if (cap === undefined) return { startEquity: walletThen, trades: results };
  return { startEquity: capitalWithin(walletThen, cap), trades: results, capped: { cap, walletAtStart: walletThen } };
}
const latest = (times: readonly (Date | undefined)[]): Date => new Date(Math.max(...times.map((time) => time?.getTime() ?? Number.NEGATIVE_INFINITY)));
const sumNet = (trades: readonly Trade[]): number => trades.reduce((total, trade) => total + trade.netPnl, 0);
const toResult = (trade: Trade) => ({ closedAt: trade.closedAt, netPnl: trade.netPnl });
