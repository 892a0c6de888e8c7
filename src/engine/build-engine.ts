// Wires the engine's use cases together from the ports. The composition root calls this once per world
// (live, paper, replay); nothing here knows which world it is in.
import { RiskManager } from '../domain/risk-manager.js';
import type { BuildInfo } from '../ports/control.js';
import { withCachedActivePositions } from './active-positions.js';
import { AnalystHealth } from './analyst-health.js';
import { BreakerService } from './breaker-service.js';
import { CapitalFooting } from './capital-footing.js';
import { unbookedByPosition } from './closed-parts.js';
import { PositionCloser } from './close-position.js';
import { TradingDaemon, type LoopObserver } from './daemon.js';
import { DecisionRecorder } from './decision-recorder.js';
import { DrawdownGuard } from './drawdown-guard.js';
import { EntryGuards } from './entry-guards.js';
import { EntryTrim } from './entry-trim.js';
import type { EngineContext } from './engine-context.js';
import { IncidentTracker } from './incidents.js';
import { StopReplacer } from './stop-replacement.js';
import { VenueTrailing } from './venue-trailing.js';
import { TakeProfitLadder } from './take-profit-ladder.js';
import { ModelScorer } from './model-scoring.js';
import { PositionMonitor } from './monitor-positions.js';
import { PositionOpener } from './open-position.js';
import { OrderHousekeeping } from './order-housekeeping.js';
import { OwnerCommandQueue } from './owner-commands.js';
import { PositionFills } from './position-fills.js';
import { TradeBooker } from './trade-booker.js';
import { EngineOwnerControl } from './owner-control.js';
import { TakeProfitOrders } from './take-profit-order.js';
import { ProtectiveStopPlacer } from './protective-stop.js';
import { ClosedMarkets } from './closed-markets.js';
import { RecentExits } from './recent-exits.js';
import { Reconciler, type OrphanPolicy } from './reconcile.js';
import { RecordRetention } from './record-retention.js';
import { MarketScanner } from './scan-markets.js';
import { ShadowLeaderboard, type ShadowAccount } from './shadow-leaderboard.js';
import { DEFAULT_COMPARISON_RULE } from '../domain/performance/variant-comparison.js';
import { SnapshotService } from './snapshots.js';
import { SummaryService } from './summaries.js';
import { MarketUniverse, STATIC_UNIVERSE } from './universe.js';
import { VenueChanges } from './venue-changes.js';

export interface BuildEngineOptions {
  readonly orphanPolicy: OrphanPolicy;
  /** Settings as the owner may see them (no secrets), for /config. */
  readonly settingsView: Readonly<Record<string, string>>;
  readonly observer?: LoopObserver;
  /** The running build, for /version; the composition root knows it. */
  readonly build?: BuildInfo;
  /** Shadow strategies' accounts, for the leaderboard (their engines are built separately); none by default. */
  readonly shadows?: readonly ShadowAccount[];
  /** RECORD_RETENTION_DAYS: analyst answers and log entries older than this are deleted daily; unset or 0 keeps all. */
  readonly recordRetentionDays?: number;
}

const UNKNOWN_BUILD: BuildInfo = { version: 'unknown', runtime: 'unknown' };

export interface Engine {
  readonly daemon: TradingDaemon;
  readonly control: EngineOwnerControl;
}

export function buildEngine(context: EngineContext, options: BuildEngineOptions): Engine {
  const ctx: EngineContext = { ...context, store: withCachedActivePositions(context.store) };
  const logger = (module: string) => ctx.logger.child({ module });
  const scoped = (module: string): EngineContext => ({ ...ctx, logger: logger(module) });
  const incidents = new IncidentTracker(ctx.clock, ctx.notifier, logger('incidents'), ctx.store.state);
  const capital = new CapitalFooting(scoped('capital'));
  const drawdown: DrawdownGuard = new DrawdownGuard(scoped('drawdown'), capital);
  const guards = new EntryGuards(scoped('entry-guards'));
  const unbooked = async () => unbookedByPosition(ctx.store.orders, await ctx.store.positions.active(), ctx.settings.costs.takerFeeRate);
  const gates = [() => drawdown.blocks(), () => guards.blocks()];
  const cap = ctx.settings.capitalCap;
  // Before INITIAL_CAPITAL bounds it: a trade of an earlier day booked late moves the day's share, then the cap applies.
  const share = cap === undefined ? undefined : async () => capital.share(cap, await ctx.store.positions.active());
  const breakers: BreakerService = new BreakerService(ctx.store, ctx.clock, ctx.notifier, ctx.settings.risk, gates, ctx.settings.capitalCap, unbooked, share);
  const snapshots = new SnapshotService(ctx.marketData, ctx.clock, ctx.settings.candleLimit);
  const decisions = new DecisionRecorder(ctx);
  const stops = new ProtectiveStopPlacer(scoped('protective-stop'));
  const exits = new RecentExits();
  const fills = new PositionFills(ctx);
  const orders = new OrderHousekeeping(scoped('orders'));
  const booker = new TradeBooker(scoped('trade-booker'), fills, breakers, incidents, exits, capital);
  const stopMover = new StopReplacer(scoped('stop-replacement'), stops, orders, incidents);
  const closer = new PositionCloser(scoped('close-position'), booker, orders, incidents, stops, stopMover);
  const targets = new TakeProfitOrders(scoped('take-profit-order'));
  const ladder = new TakeProfitLadder(scoped('take-profit-ladder'), stopMover, targets);
  const risk = new RiskManager(ctx.settings.risk, ctx.settings.costs, ctx.settings.exits.minProfitUsd, ctx.settings.sizing, ctx.settings.portfolio);
  const trim = new EntryTrim(scoped('entry-trim'), risk, closer, stopMover, incidents);
  const reconciler = new Reconciler(scoped('reconcile'), stops, closer, booker, orders, fills, incidents, options.orphanPolicy, trim, targets, ladder);
  const opener = new PositionOpener(scoped('open-position'), risk, breakers, capital, stops, closer, orders, fills, incidents, targets, guards, trim, ladder);
  const health = new AnalystHealth(ctx.analysts.map((analyst) => analyst.name), incidents);
  const trailing = new VenueTrailing(scoped('venue-trailing'), stopMover);
  const venueChanges = new VenueChanges(scoped('venue-changes'), stops, reconciler, stopMover, fills, incidents, options.orphanPolicy, targets);
  const monitor = new PositionMonitor(scoped('monitor'), closer, booker, reconciler, snapshots, decisions, health, fills, venueChanges, trailing, ladder, targets);
  const scanner = new MarketScanner(scoped('scanner'), snapshots, decisions, incidents, health);
  const summaries = new SummaryService(ctx, capital);
  const scorer = new ModelScorer(ctx, decisions);
  const commands = new OwnerCommandQueue({ state: ctx.store.state, clock: ctx.clock });
  const universe = new MarketUniverse(scoped('universe'), ctx.settings.universe ?? STATIC_UNIVERSE, incidents);
  const retention = options.recordRetentionDays ? new RecordRetention(scoped('retention'), options.recordRetentionDays) : undefined;
  const daemon = new TradingDaemon(
    scoped('daemon'),
    { breakers, scanner, opener, monitor, closer, booker, orders, reconciler, summaries, incidents, scorer, decisions, exits, closedMarkets: new ClosedMarkets(), commands, universe, drawdown, capital, guards, stopMover, ...(retention ? { retention } : {}) },
    options.observer,
  );
  const leaderboard = new ShadowLeaderboard(ctx, options.shadows ?? [], DEFAULT_COMPARISON_RULE, capital);
  const control = new EngineOwnerControl(ctx, daemon, scorer, commands, options.settingsView, options.build ?? UNKNOWN_BUILD, leaderboard);
  return { daemon, control };
}
