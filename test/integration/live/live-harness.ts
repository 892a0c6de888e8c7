// The engine composed for live trading as src/main.ts composes it (real ccxt exchange and market data, the engine
// from buildEngine), against the local fake Binance venue, with an in-memory store, scripted analysts and a
// recording notifier. A "process" can be closed and booted again over the same venue and store: a restart.
import { CcxtExchange } from '../../../src/adapters/exchange/ccxt/ccxt-exchange.js';
import { CcxtMarketData } from '../../../src/adapters/market-data/ccxt/ccxt-market-data.js';
import { withLeverageBrackets } from '../../../src/adapters/market-data/bracketed-market-data.js';
import { engineSettings } from '../../../src/cli/engine-settings.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { liquidationPrice } from '../../../src/domain/money.js';
import type { Side } from '../../../src/domain/market.js';
import { buildEngine, type Engine } from '../../../src/engine/build-engine.js';
import type { LoopObserver } from '../../../src/engine/daemon.js';
import type { EngineSettings } from '../../../src/engine/engine-context.js';
import type { OpenOutcome } from '../../../src/engine/open-position.js';
import type { OrphanPolicy } from '../../../src/engine/reconcile.js';
import type { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { RecordingNotifier } from '../../../src/testing/recording-notifier.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import type { Analyst } from '../../../src/ports/analyst.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import {
  type FakeBinance,
  type FakeBinanceOptions,
  type RecordedRequest,
  TEST_API_KEY,
  TEST_SECRET,
  startFakeBinance,
  venueClock,
} from '../../peers/binance-usdm/index.js';
import { ObservedMarketData } from './observed-market-data.js';

export const BTC = 'BTC/USDT:USDT';
export const ETH = 'ETH/USDT:USDT';

/** Binance's documented client-id rule, so a second order under a used id would not be masked by a refusal. */
export function startVenue(options: FakeBinanceOptions = {}): Promise<FakeBinance> {
  return startFakeBinance({ balance: 1_000, takerFeeRate: 0.0005, clientIdScope: 'open', ...options });
}

/** Where and as whom a process trades: the Binance stand-in by default, or another venue's stand-in. */
export interface VenueTarget {
  readonly exchangeId: string;
  readonly apiKey: string;
  readonly secret: string;
  readonly origin: string;
  readonly wsOrigin?: string;
  now(): number;
}

export interface ProcessOptions {
  /** Another venue than the Binance stand-in (the venue-parameterised suite). */
  readonly target?: VenueTarget;
  readonly symbols?: readonly string[];
  /** The exchange client's request timeout. */
  readonly timeoutMs?: number;
  /** How long an entry's answer may lag before the engine's client looks the order up. */
  readonly entryLookUpAfterMs?: number;
  readonly orphanPolicy?: OrphanPolicy;
  readonly positionCheckMs?: number;
  readonly observer?: LoopObserver;
  /** The daemon's clock runs this far ahead of the venue's (negative: behind). */
  readonly clockSkewMs?: number;
  /** More configuration variables, as the owner would set them. */
  readonly env?: Readonly<Record<string, string>>;
  /** Who gives exit opinions (none by default). */
  readonly exitAnalysts?: readonly Analyst[];
}

/** One run of the daemon's engine: its own ccxt clients, the shared venue and store. */
export class LiveProcess {
  readonly logger = new RecordingLogger();
  readonly notifier = new RecordingNotifier();
  /** Two voices agreeing on a long (3x, 6% stop, 12% target, 80% confidence): the consensus trades. */
  readonly analysts = [new ScriptedAnalyst('trend', () => ({ action: 'long' })), new ScriptedAnalyst('momentum', () => ({ action: 'long' }))];
  readonly marketData: ObservedMarketData;
  readonly exchange: CcxtExchange;
  readonly settings: EngineSettings;
  readonly engine: Engine;
  private readonly ccxtMarketData: CcxtMarketData;
  private loop?: { readonly stop: AbortController; readonly done: Promise<void> };

  constructor(
    readonly venue: FakeBinance | VenueTarget,
    readonly store: InMemoryStore,
    options: ProcessOptions = {},
  ) {
    const target: VenueTarget = options.target ?? {
      exchangeId: 'binanceusdm',
      apiKey: TEST_API_KEY,
      secret: TEST_SECRET,
      origin: venue.origin,
      wsOrigin: venue.wsOrigin,
      now: () => venue.now(),
    };
    const venueTime = venueClock(target);
    const skew = options.clockSkewMs ?? 0;
    const clock = skew === 0 ? venueTime : { now: () => new Date(venueTime.now().getTime() + skew), sleep: venueTime.sleep };
    const symbols = options.symbols ?? [BTC];
    this.ccxtMarketData = new CcxtMarketData({
      exchangeId: target.exchangeId,
      apiOrigin: target.origin,
      wsOrigin: target.wsOrigin,
      clock,
      logger: this.logger,
      priceWatch: { pollIntervalMs: 200, initialBackoffMs: 200, maxBackoffMs: 1_000 },
    });
    // As in the daemon: the engine's specs carry the account's leverage brackets, read through the exchange.
    const bracketed = withLeverageBrackets(this.ccxtMarketData, (spec) => this.exchange.leverageBrackets(spec.symbol), this.logger);
    this.marketData = new ObservedMarketData(bracketed);
    this.exchange = new CcxtExchange({
      exchangeId: target.exchangeId,
      apiKey: target.apiKey,
      secret: target.secret,
      apiOrigin: target.origin,
      wsOrigin: target.wsOrigin,
      marketData: this.ccxtMarketData,
      clock,
      logger: this.logger,
      timeoutMs: options.timeoutMs ?? 5_000,
      entryLookUpAfterMs: options.entryLookUpAfterMs,
    });
    // Any two agreeing votes clear a score of 50 (confidence 32 + consensus 20 points), whatever the regime.
    // The venue's account holds 1,000 USDT (`startVenue`); live mode uses at most INITIAL_CAPITAL of it.
    const config = loadConfig({ env: { SYMBOLS: symbols.join(','), MIN_OPPORTUNITY_SCORE: '50', INITIAL_CAPITAL: '1000', ...options.env } });
    const base = engineSettings(config, 'live', symbols);
    this.settings = {
      ...base,
      schedule: { ...base.schedule, positionCheckMs: options.positionCheckMs ?? base.schedule.positionCheckMs },
      reconcileIntervalMs: 60 * 60_000,
    };
    this.engine = buildEngine(
      {
        clock,
        marketData: this.marketData,
        exchange: this.exchange,
        analysts: this.analysts,
        exitAnalysts: options.exitAnalysts ?? [],
        store,
        notifier: this.notifier,
        logger: this.logger,
        settings: this.settings,
      },
      { orphanPolicy: options.orphanPolicy ?? 'adopt', settingsView: {}, observer: options.observer },
    );
  }

  get daemon(): Engine['daemon'] {
    return this.engine.daemon;
  }

  get parts(): Engine['daemon']['parts'] {
    return this.engine.daemon.parts;
  }

  /** What `daemon.start()` does before trading, minus its reconciliation: the breakers loaded at today's capital. */
  async prepare(): Promise<void> {
    await this.parts.breakers.load((await this.exchange.balance()).total);
  }

  /** One scan with the scripted analysts, and the opener acting on its best candidate. */
  async enter(): Promise<OpenOutcome> {
    const scan = await this.parts.scanner.scan(this.settings.symbols);
    const best = scan.best;
    if (!best || best.consensus.decision === 'hold') {
      throw new Error(`the scan found nothing to trade (failed: ${scan.failedSymbols.join(', ') || 'none'})`);
    }
    return this.parts.opener.open({ snapshot: best.snapshot, consensus: { ...best.consensus, decision: best.consensus.decision }, score: best.score });
  }

  /** Runs the daemon loop in the background until `stopLoop`. */
  startLoop(): void {
    const stop = new AbortController();
    this.loop = { stop, done: this.daemon.run(stop.signal) };
  }

  async stopLoop(): Promise<void> {
    if (!this.loop) return;
    this.loop.stop.abort();
    await this.loop.done;
    this.loop = undefined;
  }

  /** The process ends: loop stopped, connections closed. The venue and the store live on. */
  async close(): Promise<void> {
    await this.stopLoop();
    await this.exchange.close();
    await this.ccxtMarketData.close();
  }
}

/** Waits for a condition the test cannot be told about (a request reaching the venue), polling every 10 ms. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const ORDER_PATHS = new Set(['/fapi/v1/order', '/fapi/v1/algoOrder', '/fapi/v1/marginType', '/fapi/v1/leverage']);

/** The requests that changed the account (orders placed or cancelled, margin type, leverage), in order. */
export function accountChanges(venue: FakeBinance): RecordedRequest[] {
  return venue.requests.filter((r) => r.signed && r.method !== 'GET' && ORDER_PATHS.has(r.path));
}

/** `POST /fapi/v1/order ltd-1-entry` style summaries of the account changes. */
export function describeChanges(venue: FakeBinance): string[] {
  return accountChanges(venue).map((r) => {
    const id = r.params['newClientOrderId'] ?? r.params['clientAlgoId'] ?? r.params['algoId'] ?? r.params['marginType'] ?? r.params['leverage'];
    return `${r.method} ${r.path} ${id ?? ''}`.trim();
  });
}

/** The position the opener had stored when a crash stopped it: a long at 3x, `opening`, and its entry's intent. */
export interface InterruptedEntry {
  readonly symbol: string;
  /** Long unless given. */
  readonly side?: Side;
  readonly quantity: number;
  readonly entryPrice: number;
  readonly stopPrice: number;
  readonly stopLossPct: number;
  readonly takeProfitPrice?: number;
  /** The entry's limit (an immediate-or-cancel order, as the opener sends); a market order unless given. */
  readonly limitPrice?: number;
  /** The notional the plan checked the entry's size for, as the opener records it. */
  readonly checkedNotional?: number;
  readonly openedAt: Date;
}

/** Stores what the opener writes before it sends an entry (position 1 and `ltd-1-entry`), as a crash leaves them. */
export async function storeInterruptedEntry(store: InMemoryStore, entry: InterruptedEntry): Promise<void> {
  const { symbol, side = 'long', quantity, entryPrice, limitPrice, checkedNotional, openedAt, ...terms } = entry;
  const plan = { quantity, entryPrice, margin: (quantity * entryPrice) / 3 };
  await store.positions.create({
    symbol,
    side,
    leverage: 3,
    ...plan,
    ...terms,
    liquidationPrice: liquidationPrice({ side, ...plan, maintenanceMarginRate: 0.005, maintenanceAmount: 0 }),
    entryFee: 0,
    funding: 0,
    openedAt,
    rationale: { confidence: 0.8, opportunityScore: 80, agreeing: ['trend', 'momentum'], dissenting: [] },
  });
  const order = limitPrice === undefined ? { type: 'market' as const } : { type: 'limit' as const, limitPrice, checkedNotional };
  await store.orders.record({ clientOrderId: 'ltd-1-entry', positionId: '1', symbol, purpose: 'entry', side: side === 'long' ? 'buy' : 'sell', ...order, quantity, createdAt: openedAt });
}
