// The main loop: scan while flat (and at once after a close), monitor while a position is open, reconcile every
// few minutes, send summaries at midnight. Each step is isolated: a failure is logged and alerted and the loop goes
// on. It sleeps only the remainder of its interval, and a slow step delays the next one rather than overlapping it.
import { describeError, OperationalError } from '../domain/errors.js';
import { scoreText } from '../domain/opportunity.js';
import { nextUtcMidnight, utcDay } from '../domain/time.js';
import type { Position } from '../domain/trading.js';
import type { BreakerService } from './breaker-service.js';
import type { CloseAttempt, PositionCloser } from './close-position.js';
import type { EngineContext } from './engine-context.js';
import { FLAPPING_QUIET_MS, type IncidentTracker } from './incidents.js';
import type { StopReplacer } from './stop-replacement.js';
import type { ModelScorer } from './model-scoring.js';
import type { OwnerCommand, OwnerCommandQueue } from './owner-commands.js';
import { carryOutUnfinished } from './unfinished-requests.js';
import { OrderWatcher } from './order-watch.js';
import type { MarketUniverse } from './universe.js';
import type { CloseOutcome } from '../ports/control.js';
import type { TradeBooker } from './trade-booker.js';
import type { OrderHousekeeping } from './order-housekeeping.js';
import type { DecisionRecorder } from './decision-recorder.js';
import type { DrawdownGuard } from './drawdown-guard.js';
import type { CapitalFooting } from './capital-footing.js';
import type { EntryGuards } from './entry-guards.js';
import type { PositionMonitor } from './monitor-positions.js';
import type { PositionOpener } from './open-position.js';
import type { RecordRetention } from './record-retention.js';
import { PriceWatcher } from './price-watch.js';
import type { ClosedMarkets } from './closed-markets.js';
import type { RecentExits } from './recent-exits.js';
import type { Reconciler } from './reconcile.js';
import type { MarketScanner, ScanResult } from './scan-markets.js';
import type { SummaryService } from './summaries.js';

/**
 * Votes are scored against what the market did once a day. A score is final once its 24-hour horizon has passed, and
 * /models and the end of a run score what is due first, so scoring more often would only cost queries.
 */
const SCORING_INTERVAL_MS = 24 * 60 * 60_000;

/** How long price wake-ups wait after a position check failed (the scheduled check still comes on time). */
const FAILED_CHECK_RETRY_MS = 15_000;
/**
 * The least time between two checks one position's price alarms bring forward. A streamed price can stand past a
 * level the monitor's own reading has not reached (Binance streams only the mark, which stands in for the last price
 * the profit rules read; a ticker without a mark stands its last price in for the mark; the stream runs a moment ahead
 * of the REST reads): every tick would otherwise run a full check (several venue requests a second). A position's
 * first alarm is checked at once; its stop rests on the venue meanwhile.
 */
const PRICE_WAKE_MIN_GAP_MS = 10_000;

/**
 * How far one scan got. Only a scan that assessed a market shows the scan step works: one that could read no market
 * (a venue in maintenance) or was skipped says nothing either way.
 */
interface ScanOutcome {
  readonly assessed: boolean;
  readonly opened: boolean;
  /** An entry went out and the venue could not tell what it filled: its position waits, `opening`, for the monitor. */
  readonly unresolved?: boolean;
}

const NOTHING_ASSESSED: ScanOutcome = { assessed: false, opened: false };

export interface DaemonParts {
  readonly breakers: BreakerService;
  readonly scanner: MarketScanner;
  readonly opener: PositionOpener;
  readonly monitor: PositionMonitor;
  readonly closer: PositionCloser;
  readonly booker: TradeBooker;
  readonly orders: OrderHousekeeping;
  readonly reconciler: Reconciler;
  readonly summaries: SummaryService;
  readonly incidents: IncidentTracker;
  readonly scorer: ModelScorer;
  readonly decisions: DecisionRecorder;
  readonly exits: RecentExits;
  /** Markets whose entry the venue refused as closed (delisting, settlement): left out of the scans for a day. */
  readonly closedMarkets: ClosedMarkets;
  /** The owner's requests, carried out by the loop between its own steps. */
  readonly commands: OwnerCommandQueue;
  /** Which markets a scan looks at. */
  readonly universe: MarketUniverse;
  readonly drawdown: DrawdownGuard;
  /** The capital entries are sized on; in capped live mode the daemon's share of the account. */
  readonly capital: CapitalFooting;
  readonly guards: EntryGuards;
  /** Moves a position's venue stop: the new one placed and verified before the old one is cancelled. */
  readonly stopMover: StopReplacer;
  /** Deletes old analyst answers and log entries once a day (RECORD_RETENTION_DAYS); none in replays. */
  readonly retention?: RecordRetention;
}

/** Observes the loop for health checks and metrics; all optional. */
export interface LoopObserver {
  tick?(info: { startedAt: Date; durationMs: number }): void;
  scan?(info: { durationMs: number; symbols: number }): void;
}

const ALWAYS_WORKED = (): boolean => true;

export class TradingDaemon {
  readonly startedAt: Date;
  lastTickAt?: Date;
  private nextScanAt = 0;
  private nextCheckAt = 0;
  /** After a failed position check, price wake-ups wait until this instant (a venue in maintenance is not hammered). */
  private checkRetryAt = 0;
  /** Positions whose price alarm waits for its check, and when each one's last such check started. */
  private readonly alarmsPending = new Set<string>();
  private readonly alarmCheckedAt = new Map<string, number>();
  /**
   * Positions the drawdown switch's close-all left open (their close failed before it was under way): closed at the
   * next readings while the switch holds. Only those: a position adopted since is the owner's, not the switch's.
   */
  private readonly drawdownCloseLeft = new Set<string>();
  /** The UTC day whose first tick has brought the position check forward (see `tick`). */
  private checkForcedDay: string | undefined;
  private nextReconcileAt = 0;
  private nextScoringAt = 0;
  private nextEquityAt = 0;
  private summaryDay = '';
  private activeCount = 0;
  private lastScanKey?: string;
  private wakeUp = new AbortController();
  private readonly prices: PriceWatcher;
  private readonly orderStream: OrderWatcher;

  constructor(
    private readonly ctx: EngineContext,
    readonly parts: DaemonParts,
    private readonly observer: LoopObserver = {},
  ) {
    this.startedAt = ctx.clock.now();
    this.prices = new PriceWatcher(ctx, (positionId) => this.wakeForPrice(positionId));
    this.orderStream = new OrderWatcher(ctx, parts.incidents, () => this.wake());
    parts.commands.onSubmit(() => this.wake());
  }

  get nextScan(): Date {
    return new Date(this.nextScanAt);
  }

  /** Restores state and repairs what changed while the daemon was down, then announces itself. */
  async start(warnings: readonly string[] = []): Promise<void> {
    const { clock, notifier, settings, analysts } = this.ctx;
    const readAt = clock.now();
    const balance = await this.ctx.exchange.balance();
    // What new entries are sized on: in capped live mode the share left after the daemon's own losses.
    const tradingCapital = async () => (await this.parts.capital.entryAccount(await this.ctx.store.positions.active())).capital;
    await this.parts.breakers.load(await tradingCapital());
    // Before the day rolls: a drawdown switch tripped before the restart still holds entries back, which the message
    // for yesterday's cleared breakers must say. The equity it is measured from waits for reconciliation.
    await this.parts.drawdown.restore();
    // Before reconciliation books what closed while the daemon was down: a trade counts toward the day it closed on,
    // once (the balance holds what closed before it was read, and booking takes that back out of the day's capital).
    if (this.parts.breakers.current().day !== utcDay(clock.now())) await this.parts.breakers.rollDay(balance.total, readAt);
    await this.parts.exits.load(this.ctx.store.trades, clock.now());
    await this.parts.incidents.load();
    await this.step('reconcile', () => this.parts.reconciler.reconcile({ startUp: true }));
    this.nextReconcileAt = clock.now().getTime() + settings.reconcileIntervalMs;
    await this.parts.drawdown.load(await this.parts.drawdown.equity(await this.ctx.store.positions.active()));
    await notifier.notify({
      type: 'started',
      at: clock.now(),
      mode: settings.mode,
      capital: await tradingCapital(),
      accountBalance: balance.total,
      symbols: await this.parts.universe.symbols(),
      analysts: analysts.map((analyst) => analyst.name),
      limits: {
        maxLeverage: settings.risk.maxLeverage,
        positionSizePct: settings.risk.positionSizePct,
        minStopLossPct: settings.risk.minStopLossPct,
        maxStopLossPct: settings.risk.maxStopLossPct,
        dailyLossLimitPct: settings.risk.dailyLossLimitPct,
        maxConsecutiveLosses: settings.risk.maxConsecutiveLosses,
        minProfitUsd: settings.exits.minProfitUsd,
        minConfidence: settings.consensus.minConfidence,
      },
      warnings,
    });
    await this.step('unfinished-requests', () => carryOutUnfinished(this.ctx, this.parts.commands, this.parts.incidents, (command) => this.carryOut(command)));
  }

  /** Runs until `signal` aborts; the step in flight finishes first. */
  async run(signal: AbortSignal): Promise<void> {
    try {
      await this.loop(signal);
    } finally {
      this.prices.stopAll();
      this.orderStream.stopAll();
    }
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const { clock } = this.ctx;
    // One combined signal per wake-up, not per sleep: AbortSignal.any is costly, and a year's replay sleeps 100,000s of times.
    let sleepSignal = AbortSignal.any([signal, this.wakeUp.signal]);
    while (!signal.aborted) {
      const startedAt = clock.now();
      if (this.lastTickAt !== undefined && startedAt.getTime() < this.lastTickAt.getTime()) this.afterClockStepBack(startedAt.getTime());
      await this.tick(signal);
      this.lastTickAt = clock.now();
      if (this.lastTickAt.getTime() < startedAt.getTime()) this.afterClockStepBack(this.lastTickAt.getTime());
      this.observer.tick?.({ startedAt, durationMs: this.lastTickAt.getTime() - startedAt.getTime() });
      if (signal.aborted) break;
      const wait = this.nextWakeAt() - clock.now().getTime();
      if (wait > 0) await clock.sleep(wait, sleepSignal);
      if (this.wakeUp.signal.aborted) {
        this.wakeUp = new AbortController();
        sleepSignal = AbortSignal.any([signal, this.wakeUp.signal]);
      }
    }
  }

  /**
   * The wall clock stepped back (NTP correcting a clock that ran fast, a host set wrong at boot). The schedule is kept
   * as wall-clock instants, which now lie as far ahead as the step: the loop would sleep it away with positions
   * unchecked. Each is brought back within its own interval from now, and the positions are checked at once.
   */
  private afterClockStepBack(now: number): void {
    const { settings } = this.ctx;
    this.ctx.logger.warn({ now: new Date(now).toISOString(), lastTick: this.lastTickAt?.toISOString() }, 'the clock stepped back; the schedule is set from the new time');
    this.nextCheckAt = now;
    this.checkRetryAt = Math.min(this.checkRetryAt, now + FAILED_CHECK_RETRY_MS);
    this.alarmCheckedAt.clear();
    this.nextScanAt = Math.min(this.nextScanAt, now + settings.schedule.scanIntervalMs);
    this.nextReconcileAt = Math.min(this.nextReconcileAt, now + settings.reconcileIntervalMs);
    this.nextScoringAt = Math.min(this.nextScoringAt, now + SCORING_INTERVAL_MS);
    this.nextEquityAt = Math.min(this.nextEquityAt, now + settings.schedule.positionCheckMs);
  }

  /** Cuts the current wait short (an owner command, an order event). */
  wake(): void {
    this.nextCheckAt = Math.min(this.nextCheckAt, Math.max(this.ctx.clock.now().getTime(), this.checkRetryAt));
    this.wakeUp.abort();
  }

  /** A price on the stream crossed a position's level: checked at once, unless its last alarm's check is too recent. */
  private wakeForPrice(positionId: string): void {
    this.alarmsPending.add(positionId);
    const lastChecked = this.alarmCheckedAt.get(positionId) ?? Number.NEGATIVE_INFINITY;
    const earliest = Math.max(this.ctx.clock.now().getTime(), this.checkRetryAt, lastChecked + PRICE_WAKE_MIN_GAP_MS);
    this.nextCheckAt = Math.min(this.nextCheckAt, earliest);
    this.wakeUp.abort();
  }

  /**
   * After `run` returns: carry out the commands the owner sent before the stop (a pause must not be lost), close
   * positions only when configured to, and say goodbye. Commands sent from now on are refused.
   */
  async stop(reason: string): Promise<void> {
    const { store, settings, clock, notifier } = this.ctx;
    await this.step('commands', () => this.carryOutCommands());
    this.parts.commands.close();
    // Positions first: the shutdown's time budget is short, and scoring votes reads candles of every market.
    let active = await store.positions.active();
    if (settings.closeOnShutdown) {
      // One close that fails (a venue error while booking it) must not keep the others open, nor the goodbye unsaid:
      // the message then counts what is still open.
      await this.closeEach(active.filter((p) => p.status === 'open'), 'shutdown');
      active = await store.positions.active();
    }
    await this.step('decisions', () => this.parts.decisions.flush());
    await notifier.notify({ type: 'stopped', at: clock.now(), reason, openPositions: active.length });
    await this.parts.incidents.flush();
    // Last: it reads every market's candles, one after another, which a slow venue can stretch past the shutdown's
    // budget. Cut short there, it loses nothing: the next start scores what is still due.
    await this.step('score-votes', () => this.parts.scorer.scorePending());
  }

  private async tick(signal: AbortSignal): Promise<void> {
    const { clock, settings, store } = this.ctx;
    const now = clock.now().getTime();
    const day = utcDay(clock.now());
    const newDay = day !== this.summaryDay;
    const rolled =
      newDay &&
      (await this.step('new-day', async () => {
        await this.parts.decisions.flush();
        if (this.parts.breakers.current().day !== day) {
          const readAt = clock.now();
          await this.parts.breakers.rollDay((await this.ctx.exchange.balance()).total, readAt);
        }
        return true;
      }));
    // The positions are checked before yesterday's summary goes out: a stop that filled in its last seconds is booked
    // first, and counted in its day's summary rather than in none. Once a day, and not sooner than a failing venue's
    // pause allows: a step that keeps failing must not turn every wake-up into a check.
    if (newDay && this.checkForcedDay !== day) {
      this.checkForcedDay = day;
      this.nextCheckAt = Math.min(this.nextCheckAt, Math.max(now, this.checkRetryAt));
    }
    if (now >= this.nextReconcileAt) {
      await this.step('reconcile', () => this.parts.reconciler.reconcile());
      this.nextReconcileAt = now + settings.reconcileIntervalMs;
    }
    // An old stop a replacement could not cancel rests beside its replacement until a cancel gets through.
    if (this.parts.stopMover.supersededWaiting > 0) await this.step('superseded-stops', () => this.parts.stopMover.cancelSuperseded());
    if (now >= this.nextScoringAt) {
      await this.step('score-votes', () => this.parts.scorer.scorePending());
      this.nextScoringAt = now + SCORING_INTERVAL_MS;
    }
    // The owner's requests first: they are the reason the loop woke up, and they run between steps (and between a scan
    // and its entry), never inside a change to a position.
    if (this.parts.commands.size > 0) await this.step('commands', () => this.carryOutCommands());
    // The loop is the only writer of positions, so one read per tick is enough; re-read only after a change.
    let active = await this.step('positions', () => store.positions.active());
    if (!active) {
      // The store refused the read: nothing can be checked or opened now, and the loop waits before asking again
      // rather than spinning on a database that refuses at once.
      const retryAt = now + FAILED_CHECK_RETRY_MS;
      this.checkRetryAt = Math.max(this.checkRetryAt, retryAt);
      this.nextCheckAt = Math.max(this.nextCheckAt, retryAt);
      this.nextScanAt = Math.max(this.nextScanAt, retryAt);
    }
    if (active && active.length > 0 && now >= this.nextCheckAt) {
      this.nextCheckAt = now + settings.schedule.positionCheckMs;
      for (const id of this.alarmCheckedAt.keys()) if (!active.some((position) => position.id === id)) this.alarmCheckedAt.delete(id);
      for (const id of this.alarmsPending) this.alarmCheckedAt.set(id, now);
      this.alarmsPending.clear();
      const result = await this.step('monitor', () => this.parts.monitor.check(active ?? []));
      // The stops rest on the venue: a failing venue is asked again after a pause, not at every price tick.
      this.checkRetryAt = result === undefined ? now + FAILED_CHECK_RETRY_MS : 0;
      if (result && result.closed > 0) {
        this.afterClose(now);
        active = await this.step('positions', () => store.positions.active());
      }
    }
    if (rolled) {
      await this.step('summaries', async () => {
        await this.parts.summaries.sendDue();
        this.summaryDay = day;
      });
    }
    if (active && now >= this.nextEquityAt) {
      const tripped = await this.readDrawdown(active);
      if (tripped && settings.drawdown?.closeAll) active = await this.step('positions', () => store.positions.active());
    }
    if (active && active.length < settings.risk.maxOpenPositions && now >= this.nextScanAt && !signal.aborted) {
      this.nextScanAt = now + settings.schedule.scanIntervalMs;
      const checkBefore = this.nextCheckAt;
      const scan = await this.step('scan', () => this.scanAndTrade(active?.map((p) => p.symbol) ?? [], signal), (outcome) => outcome.assessed);
      if (scan?.opened || scan?.unresolved) {
        const planned = scan.opened ? now + settings.schedule.positionCheckMs : now;
        // A wake-up during the scan (a stop crossed or filled on a position already open) keeps the check it asked for.
        this.nextCheckAt = this.nextCheckAt < checkBefore ? Math.min(this.nextCheckAt, planned) : planned;
        active = await this.step('positions', () => store.positions.active());
      }
    }
    this.activeCount = active?.length ?? this.activeCount;
    if (active) {
      this.prices.sync(active);
      this.orderStream.sync(active);
    }
    // Last: trading comes first, and a long first prune goes a few batches a tick rather than at once.
    const retention = this.parts.retention;
    if (retention?.due() && !signal.aborted) await this.step('prune-records', () => retention.prune());
  }

  private async scanAndTrade(busySymbols: readonly string[], signal: AbortSignal): Promise<ScanOutcome> {
    const { clock, logger } = this.ctx;
    await this.parts.breakers.settle();
    const blocks = this.parts.breakers.blocks();
    if (blocks.length > 0) {
      logger.debug({ blocks: blocks.map((b) => b.reason) }, 'entries blocked; scan skipped');
      return NOTHING_ASSESSED;
    }
    const free = (await this.parts.universe.symbols()).filter((symbol) => !busySymbols.includes(symbol));
    const waiting = this.parts.exits.waiting(free, clock.now());
    if (waiting.length > 0) logger.debug({ waiting: waiting.map((w) => `${w.symbol} until ${w.until.toISOString()}`) }, 'closed symbols wait for a fresh 15m candle');
    const closed = this.parts.closedMarkets.closed(free, clock.now());
    const symbols = free.filter((symbol) => !waiting.some((w) => w.symbol === symbol) && !closed.some((c) => c.symbol === symbol));
    if (symbols.length === 0) return NOTHING_ASSESSED;
    const started = clock.now().getTime();
    const result = await this.parts.scanner.scan(symbols, signal);
    this.observer.scan?.({ durationMs: clock.now().getTime() - started, symbols: symbols.length });
    await this.announceScan(result, symbols.length);
    const assessed = result.ranked.length > 0;
    if (!result.best || signal.aborted) return { assessed, opened: false };
    const best = result.best;
    if (best.consensus.decision === 'hold') return { assessed, opened: false };
    // A scan asks the analysts for tens of seconds; a /pause (or a /close) the owner sent meanwhile is carried out
    // before its entry, not after it: the owner who paused at the news must not see a position open a moment later.
    if (this.parts.commands.size > 0) {
      await this.carryOutCommands();
      // A stop (SIGTERM) that came as they were carried out: no entry goes out now.
      if (signal.aborted) return { assessed, opened: false };
      // A /close just carried out changed the equity: the drawdown is read before the entry, which goes out only once
      // it is known.
      if (this.nextEquityAt <= clock.now().getTime() && (await this.readDrawdown(await this.ctx.store.positions.active())) === undefined) {
        logger.info({ symbol: best.snapshot.symbol }, 'the drawdown could not be read after a close during the scan; its entry is dropped');
        // The scan the close brought forward waits for the next reading too, or it would send the same entry unjudged.
        this.nextScanAt = Math.max(this.nextScanAt, this.nextEquityAt);
        return { assessed, opened: false };
      }
      const now = this.parts.breakers.blocks();
      if (now.length > 0) {
        logger.info({ symbol: best.snapshot.symbol, blocks: now.map((b) => b.reason) }, 'entries were blocked during the scan; its entry is dropped');
        return { assessed, opened: false };
      }
    }
    const outcome = await this.parts.opener.open({ snapshot: best.snapshot, consensus: { ...best.consensus, decision: best.consensus.decision }, score: best.score });
    if (outcome.status === 'failed' && outcome.kind === 'operational') await this.parts.breakers.holdForVenueProblem(`an entry on ${best.snapshot.symbol} was refused: ${outcome.error}`);
    // An entry whose fill the venue could not tell is an active position still opening: checked at once.
    if (outcome.status === 'failed' && outcome.unresolved) return { assessed, opened: false, unresolved: true };
    if (outcome.status === 'failed' && outcome.marketClosed) {
      const { until } = this.parts.closedMarkets.close(best.snapshot.symbol, clock.now());
      logger.warn({ symbol: best.snapshot.symbol, until: until.toISOString() }, 'the venue opens no new positions in this market; left out of the scans');
    }
    return { assessed, opened: outcome.status === 'opened' };
  }

  /**
   * Reads the equity for the drawdown switch, and at a trip with DRAWDOWN_CLOSE_ALL closes every position. Whether it
   * tripped; undefined when the reading failed.
   */
  private async readDrawdown(active: readonly Position[]): Promise<boolean | undefined> {
    const { clock, settings } = this.ctx;
    this.nextEquityAt = clock.now().getTime() + settings.schedule.positionCheckMs;
    const tripped = await this.step('drawdown', () => this.parts.drawdown.observe(active));
    if (!settings.drawdown?.closeAll) return tripped;
    if (tripped) {
      await this.step('drawdown-close', () => this.closeAll(active));
    } else if (this.drawdownCloseLeft.size > 0) {
      const left = this.parts.drawdown.current()?.tripped === true ? active.filter((p) => this.drawdownCloseLeft.has(p.id)) : [];
      if (left.length === 0) this.drawdownCloseLeft.clear();
      else await this.step('drawdown-close', () => this.closeAll(left));
    }
    return tripped;
  }

  /**
   * DRAWDOWN_CLOSE_ALL: the loop closes every open position itself, as it would for the owner's /close. Each position
   * gets its close whatever happened to the one before; a close under way and not booked is retried by the position
   * checks, one that never got under way at the next readings (`drawdownCloseLeft`), and the step reports the first
   * failure.
   */
  private async closeAll(active: readonly Position[]): Promise<void> {
    const closing = active.filter((p) => p.status === 'open' || p.status === 'closing');
    const [failure] = await this.closeEach(closing, 'drawdown');
    const stillOpen = await this.ctx.store.positions.active().catch(() => closing);
    this.drawdownCloseLeft.clear();
    for (const position of stillOpen) if (position.status === 'open' && closing.some((p) => p.id === position.id)) this.drawdownCloseLeft.add(position.id);
    if (failure !== undefined) throw failure;
  }

  /** Closes each position in turn, going on past one that fails; returns the failures, each logged. */
  private async closeEach(positions: readonly Position[], reason: 'shutdown' | 'drawdown'): Promise<unknown[]> {
    const failures: unknown[] = [];
    for (const position of positions) {
      try {
        await this.parts.closer.close({ position, reason });
      } catch (error) {
        failures.push(error);
        this.ctx.logger.error({ positionId: position.id, symbol: position.symbol, reason, error: describeError(error) }, 'closing a position failed; the others are closed all the same');
      }
    }
    return failures;
  }

  /**
   * A close frees a slot: the scan comes at once rather than after the scan interval. The drawdown is read again
   * before it, as the close changed the equity: a loss that took the account past the limit would otherwise let that
   * scan open a position the switch would have refused (it reads the equity once a position check).
   */
  private afterClose(now: number): void {
    this.nextScanAt = now;
    this.nextEquityAt = now;
  }

  /** Carries out the owner's waiting commands, one after another. */
  private async carryOutCommands(): Promise<void> {
    await this.parts.commands.drain((command) => this.carryOut(command));
  }

  private async carryOut(command: OwnerCommand): Promise<unknown> {
    const { breakers, closer } = this.parts;
    if (command.kind === 'pause') return breakers.pause(command.requestedBy);
    if (command.kind === 'resume') {
      const sentAt = command.sentAt === undefined ? undefined : new Date(command.sentAt);
      const lifted = [...(await breakers.lift(command.requestedBy, sentAt))];
      try {
        lifted.push(...(await this.parts.drawdown.lift(await this.ctx.store.positions.active(), command.requestedBy, sentAt)));
      } finally {
        // Told once both are off, in one message, so that none lists the other as still holding entries back.
        await breakers.announceLifted(command.requestedBy, lifted);
      }
      this.nextScanAt = Math.min(this.nextScanAt, this.ctx.clock.now().getTime());
      return undefined;
    }
    const position = await this.ctx.store.positions.get(command.positionId);
    if (!position || (position.status !== 'open' && position.status !== 'closing')) return { status: 'not_open' } satisfies CloseOutcome;
    this.ctx.logger.info({ positionId: position.id, requestedBy: command.requestedBy }, 'owner close carried out');
    let attempt: CloseAttempt;
    try {
      attempt = await closer.attempt({ position, reason: 'manual' });
    } catch (error) {
      // What fails after the position is marked closing is reading what the close did (its fills, the balance, the
      // leftover orders). The close itself may well be done; the checks carry it through, so "failed" would mislead.
      // So would it when the booking committed and only its answer was lost: the trade's own messages went out.
      const now = await this.ctx.store.positions.get(position.id);
      if (now?.status === 'closed') {
        const trade = (await this.ctx.store.trades.list({ limit: 20 })).find((booked) => booked.positionId === position.id);
        this.afterClose(this.ctx.clock.now().getTime());
        if (trade) return { status: 'closed', trade } satisfies CloseOutcome;
        return { status: 'pending', detail: 'the position is closed and its trade booked; its figures are in the message that reported it' } satisfies CloseOutcome;
      }
      if (now?.status !== 'closing') throw error;
      this.ctx.logger.warn({ positionId: position.id, error: describeError(error) }, 'owner close sent; its booking waits for the next check');
      this.afterClose(this.ctx.clock.now().getTime());
      return {
        status: 'pending',
        detail: `the position is being closed, but reading the result failed (${describeError(error)}); the daemon finishes it at every check and reports the trade once it is booked`,
      } satisfies CloseOutcome;
    }
    this.afterClose(this.ctx.clock.now().getTime());
    if (attempt.status === 'booked') return { status: 'closed', trade: attempt.trade } satisfies CloseOutcome;
    if (attempt.status === 'under_way') {
      return { status: 'pending', detail: 'the close is under way; the daemon retries it at every check and reports the trade once its fills are in' } satisfies CloseOutcome;
    }
    const stop = { true: 'its exchange-side stop stays in place', false: 'it has NO stop on the exchange', undefined: 'whether its exchange-side stop still rests could not be read' }[
      `${attempt.stopRests}` as const
    ];
    const what = attempt.refused ? `the venue refused the close (${attempt.reason})` : `the close did not go through (${attempt.reason})`;
    return { status: 'pending', detail: `${what}; the daemon retries it at every check, and ${stop}` } satisfies CloseOutcome;
  }

  private async announceScan(result: ScanResult, symbolsScanned: number): Promise<void> {
    const { settings, clock, notifier } = this.ctx;
    if (settings.notifyScans === 'off') return;
    const top = result.ranked[0];
    const shown = result.best ?? top;
    const best = shown && {
      symbol: shown.snapshot.symbol,
      action: shown.consensus.decision,
      confidence: shown.consensus.confidence,
      score: shown.score.total,
      agreeing: shown.consensus.agreeing.map((vote) => vote.analyst),
    };
    const key = best ? `${best.symbol}:${best.action}:${result.best ? 'trade' : 'none'}` : 'none';
    const changed = key !== this.lastScanKey;
    this.lastScanKey = key;
    if (settings.notifyScans === 'changes' && !result.best && !changed) return;
    const reason = result.best
      ? undefined
      : top?.consensus.decision === 'hold'
        ? top.consensus.reason
        : top
          ? `best score ${scoreText(top.score.total)} is below the ${settings.consensus.minOpportunityScore} minimum`
          : 'no market could be assessed';
    await notifier.notify({ type: 'scan_result', at: clock.now(), best, willTrade: result.best !== undefined, reason, symbolsScanned });
  }

  private nextWakeAt(): number {
    // Midnight is a deadline of its own: the summaries and the breakers' new day come at 00:00 UTC, not at whichever
    // scan or heartbeat happens to follow it.
    const candidates = [this.nextReconcileAt, nextUtcMidnight(this.ctx.clock.now()).getTime()];
    if (this.activeCount > 0) candidates.push(this.nextCheckAt);
    if (this.activeCount < this.ctx.settings.risk.maxOpenPositions) candidates.push(this.nextScanAt);
    return Math.min(...candidates);
  }

  /**
   * Runs one step; a failure is logged and alerted once, and cleared when the step works again. A step that can end
   * without doing its work (a scan that could assess no market) says through `worked` whether this run shows that.
   */
  private async step<T>(name: string, work: () => Promise<T>, worked: (result: T) => boolean = ALWAYS_WORKED): Promise<T | undefined> {
    try {
      const result = await work();
      // Asked first: a replay runs this at every step, and an incident is open there almost never.
      const incident = `engine:${name}`;
      if (worked(result) && this.parts.incidents.isOpen(incident)) await this.parts.incidents.clear(incident, `The ${name} step works again.`);
      return result;
    } catch (error) {
      this.ctx.logger.error({ step: name, error: describeError(error), stack: (error as Error).stack }, 'engine step failed');
      await this.parts.incidents
        .raise(`engine:${name}`, 'warning', `The ${name} step failed: ${describeError(error)}. The daemon keeps running.`, { quietMs: FLAPPING_QUIET_MS })
        .catch(() => undefined);
      if (error instanceof OperationalError) {
        await this.parts.breakers.holdForVenueProblem(`the ${name} step failed: ${describeError(error)}`).catch(() => undefined);
      }
      return undefined;
    }
  }
}
