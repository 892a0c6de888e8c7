// Everything a soak scenario runs the daemon against, all local: the venue's stand-in (Binance USDⓈ-M unless the
// scenario asks for Bybit; its clock running at the daemon's speed, prices following the recording), three AI providers, the Telegram Bot API, a Postgres database
// of its own behind a TCP proxy, and a Redis of its own. `daemonEnv` is the configuration a restart gets.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AnthropicServer } from '../../test/peers/anthropic/anthropic-server.js';
import { type FakeBinance, TEST_API_KEY, TEST_SECRET, startFakeBinance } from '../../test/peers/binance-usdm/index.js';
import { BYBIT_API_KEY, BYBIT_SECRET, type FakeBybit, startFakeBybit } from '../../test/peers/bybit/index.js';
import { OpenAiServer } from '../../test/peers/openai/openai-server.js';
import { FakeBotApi } from '../../test/peers/telegram/fake-bot-api.js';
import { type DaemonExit, DaemonProcess } from './daemon-process.js';
import { ProtectionMonitor } from './protection-monitor.js';
import { RedisServer } from './redis-server.js';
import { soakAnswer } from './soak-answers.js';
import { SoakDatabase } from './soak-database.js';
import { TcpProxy } from '../../test/support/tcp-proxy.js';
import { pause, waitUntil } from './wait.js';

/** The recorded symbols: their prices move, so stops fire and positions close. */
export const SOAK_SYMBOLS = ['BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT', 'BNB/USDT:USDT', 'XRP/USDT:USDT', 'DOGE/USDT:USDT'];
/** The Bybit stand-in lists the two recorded markets it has Bybit's filters for. */
const BYBIT_SOAK_SYMBOLS = ['BTC/USDT:USDT', 'ETH/USDT:USDT'];
export const ORDER_PREFIX = 'soak';
export const TELEGRAM_CHAT = '4242';
const TELEGRAM_TOKEN = '777000:soak-bot-token';
const LEAD_MARGIN_MS = 300;
const FIRST_LOAD_GUESS_MS = 3_000;

/** The venues a soak can run on: `EXCHANGE` values with a stand-in the soak knows how to read. */
export type SoakVenueId = 'binanceusdm' | 'bybit';
export type SoakVenue = FakeBinance | FakeBybit;

/** An order request as it reaches the venue, in the daemon's terms, whatever the venue's wire format. */
export interface OrderRequest {
  /** A conditional order (a stop or a take-profit trigger) rather than an order that trades at once. */
  readonly conditional: boolean;
  /** The daemon's client id (`<prefix>-<position>-entry`, `…-stop`, `…-close`). */
  readonly clientId: string;
}

export interface WorldOptions {
  /** Folder for this scenario's logs and the daemon's working directory. */
  readonly dir: string;
  /** Simulated instant the venue starts at (inside the bundled history, after its warm-up). */
  readonly start: Date;
  /** Simulated milliseconds per real millisecond, for the venue and the daemon alike. */
  readonly speed: number;
  readonly balance?: number;
  /** Daemon variables that differ from the soak defaults. */
  readonly env?: Readonly<Record<string, string>>;
  /** The venue's stand-in the daemon trades on (default binanceusdm). */
  readonly venue?: SoakVenueId;
}

/** The soak's daemon configuration: live trading on the local venue, limits loose enough that it trades often. */
function baseEnv(): Record<string, string> {
  return {
    USE_PAPER_TRADING: 'false',
    LIVE_TRADING_ACKNOWLEDGED: 'I UNDERSTAND THE RISKS',
    INITIAL_CAPITAL: '10000',
    ORDER_ID_PREFIX: ORDER_PREFIX,
    MAX_LEVERAGE: '5',
    POSITION_SIZE_PERCENT: '0.25',
    MIN_STOP_LOSS_PERCENT: '0.01',
    MAX_STOP_LOSS_PERCENT: '0.03',
    MAX_LOSS_AT_STOP_PERCENT: '0.2',
    DAILY_LOSS_LIMIT_PERCENT: '0.5',
    MAX_CONSECUTIVE_LOSSES: '20',
    MAX_OPEN_POSITIONS: '3',
    MIN_AI_CONFIDENCE: '0.6',
    MIN_OPPORTUNITY_SCORE: '40',
    MIN_PROFIT_USD: '1',
    MAX_HOLDING_HOURS: '1',
    SCAN_INTERVAL_SECONDS: '60',
    POSITION_CHECK_SECONDS: '10',
    AI_TIMEOUT_SECONDS: '3',
    AI_MODE: 'full',
    ENABLE_GROK: 'true',
    NOTIFY_SCANS: 'changes',
    LOG_LEVEL: process.env['SOAK_LOG_LEVEL'] ?? 'info',
    HTTP_PORT: '0',
  };
}

/** The venue part of the daemon's configuration: which exchange, its keys, its stand-in's URLs and its markets. */
function venueEnv(venue: SoakVenue): Record<string, string> {
  if ('dialect' in venue) {
    return {
      EXCHANGE: 'bybit',
      BYBIT_API_KEY,
      BYBIT_SECRET_KEY: BYBIT_SECRET,
      EXCHANGE_API_ORIGIN: venue.origin,
      // Only the private order stream is served there; market-data streams are refused and the daemon polls.
      EXCHANGE_WS_ORIGIN: venue.origin.replace('http', 'ws'),
      SYMBOLS: BYBIT_SOAK_SYMBOLS.join(','),
      // BTC and ETH move together (0.87 over the recorded week): with the guard's default only one of the two markets
      // could ever hold a position, and the soak would trade half as often.
      CORRELATION_THRESHOLD: '1',
    };
  }
  return {
    EXCHANGE: 'binanceusdm',
    BINANCE_API_KEY: TEST_API_KEY,
    BINANCE_SECRET_KEY: TEST_SECRET,
    EXCHANGE_API_ORIGIN: venue.origin,
    EXCHANGE_WS_ORIGIN: venue.wsOrigin,
    SYMBOLS: SOAK_SYMBOLS.join(','),
  };
}

async function startVenue(options: WorldOptions): Promise<SoakVenue> {
  const now = options.start.getTime();
  const balance = options.balance ?? 10_000;
  const venue = options.venue === 'bybit' ? await startFakeBybit({ now, balance }) : await startFakeBinance({ now, balance, clientIdScope: 'open' });
  venue.runClock(true, options.speed);
  venue.replayMarket({ stepMs: 50 });
  return venue;
}

/** Bybit's order request (`/v5/order/create`, `orderLinkId`, a trigger price for a conditional one), if it is one. */
function bybitOrder(request: { method: string; path: string; params: Readonly<Record<string, unknown>> }): OrderRequest | undefined {
  if (request.method !== 'POST' || request.path !== '/v5/order/create') return undefined;
  return { conditional: request.params['triggerPrice'] !== undefined, clientId: String(request.params['orderLinkId'] ?? '') };
}

/** Binance's: `/fapi/v1/order` (`newClientOrderId`) or the conditional `/fapi/v1/algoOrder` (`clientAlgoId`). */
function binanceOrder(request: { method: string; path: string; params: Readonly<Record<string, string>> }): OrderRequest | undefined {
  if (request.method !== 'POST') return undefined;
  if (request.path === '/fapi/v1/order') return { conditional: false, clientId: request.params['newClientOrderId'] ?? '' };
  if (request.path === '/fapi/v1/algoOrder') return { conditional: true, clientId: request.params['clientAlgoId'] ?? '' };
  return undefined;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export class World<V extends SoakVenue = FakeBinance> {
  readonly protection: ProtectionMonitor;
  /** Real ms the daemon's clock was behind (-) or ahead (+) of the venue's, per start. */
  readonly clockOffsetsMs: number[] = [];
  /** Real ms from spawning the daemon until its clock started, per start: the lead the next start gets. */
  private readonly loadTimesMs: number[] = [];
  private nextLeadMs = 0;
  private lastStartedId = 0;

  private constructor(
    readonly options: WorldOptions,
    readonly venue: V,
    readonly claude: AnthropicServer,
    readonly deepseek: OpenAiServer,
    readonly grok: OpenAiServer,
    readonly telegram: FakeBotApi,
    readonly redis: RedisServer,
    readonly database: SoakDatabase,
    readonly proxy: TcpProxy,
    readonly daemon: DaemonProcess,
  ) {
    this.protection = new ProtectionMonitor(venue, ORDER_PREFIX);
  }

  static async create(options: WorldOptions & { readonly venue?: 'binanceusdm' }): Promise<World>;
  static async create(options: WorldOptions & { readonly venue: 'bybit' }): Promise<World<FakeBybit>>;
  static async create(options: WorldOptions): Promise<World<SoakVenue>>;
  static async create(options: WorldOptions): Promise<World<SoakVenue>> {
    await mkdir(join(options.dir, 'daemon'), { recursive: true });
    const venue = await startVenue(options);
    const started = await Promise.allSettled([
      AnthropicServer.start(),
      OpenAiServer.start(),
      OpenAiServer.start(),
      FakeBotApi.start({ token: TELEGRAM_TOKEN, timeSource: () => venue.now() }),
      RedisServer.start(),
      SoakDatabase.create(),
    ] as const);
    const [claude, deepseek, grok, telegram, redis, database] = started;
    if (
      claude.status === 'rejected' ||
      deepseek.status === 'rejected' ||
      grok.status === 'rejected' ||
      telegram.status === 'rejected' ||
      redis.status === 'rejected' ||
      database.status === 'rejected'
    ) {
      // What did start is stopped again, so a broken set-up leaves no server or database behind.
      await venue.close();
      const closers = started.map((result) => (result.status === 'fulfilled' ? result.value : undefined));
      await Promise.allSettled(closers.map((peer) => (peer instanceof SoakDatabase ? peer.drop() : peer instanceof RedisServer ? peer.stop() : peer?.close())));
      const reason = started.find((result) => result.status === 'rejected')?.reason as unknown;
      throw new Error(`the soak world could not start: ${reason instanceof Error ? reason.message : String(reason)}`);
    }
    for (const provider of [claude.value, deepseek.value, grok.value]) provider.answerByDefault(soakAnswer);
    const proxy = await TcpProxy.start(database.value.host, database.value.port);
    const daemon = new DaemonProcess(join(options.dir, 'daemon'), join(options.dir, 'daemon.log'));
    const world = new World<SoakVenue>(options, venue, claude.value, deepseek.value, grok.value, telegram.value, redis.value, database.value, proxy, daemon);
    world.protection.start();
    return world;
  }

  /** The `EXCHANGE` the daemon trades on. */
  get venueId(): SoakVenueId {
    return 'dialect' in this.venue ? 'bybit' : 'binanceusdm';
  }

  /**
   * Registers a listener for every order request as it reaches the venue (not cancels or reads); answering `drop`
   * closes its connection before the venue acts on it. Safe to kill the daemon from inside. Returns its removal.
   */
  onOrderRequest(listener: (order: OrderRequest) => 'drop' | void): () => void {
    const venue: SoakVenue = this.venue;
    if ('dialect' in venue) {
      return venue.onRequest((request) => {
        const order = bybitOrder(request);
        return order ? listener(order) : undefined;
      });
    }
    return venue.onRequest((request) => {
      const order = binanceOrder(request);
      return order ? listener(order) : undefined;
    });
  }

  get speed(): number {
    return this.options.speed;
  }

  /** Simulated time now, on the venue's clock. */
  simNow(): number {
    return this.venue.now();
  }

  /** Real milliseconds that `simMs` of simulated time take. */
  realMs(simMs: number): number {
    return simMs / this.options.speed;
  }

  /** The environment of the next start: its simulated clock starts where the venue's stands. */
  daemonEnv(): Record<string, string> {
    return {
      ...baseEnv(),
      ...venueEnv(this.venue),
      CLAUDE_API_KEY: AnthropicServer.DEFAULT_KEY,
      CLAUDE_BASE_URL: this.claude.baseURL,
      DEEPSEEK_API_KEY: OpenAiServer.DEFAULT_KEY,
      DEEPSEEK_BASE_URL: this.deepseek.baseURL,
      GROK_API_KEY: OpenAiServer.DEFAULT_KEY,
      GROK_BASE_URL: this.grok.baseURL,
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_CHAT_ID: TELEGRAM_CHAT,
      TELEGRAM_API_ROOT: this.telegram.apiRoot,
      DATABASE_URL: this.database.urlThrough(this.proxy.port),
      REDIS_URL: this.redis.url,
      DATA_DIR: join(this.options.dir, 'daemon', 'data'),
      SIMULATION_SPEED: String(this.options.speed),
      // The daemon's clock starts once its modules are loaded; starting it that far ahead keeps it in step.
      SIMULATION_START: new Date(this.venue.now() + this.startLeadMs()).toISOString(),
      ...this.options.env,
    };
  }

  /** Simulated ms the next start's clock is set ahead: the typical time the daemon takes to load, measured. */
  private startLeadMs(): number {
    const loadMs = this.loadTimesMs.length > 0 ? median(this.loadTimesMs) : FIRST_LOAD_GUESS_MS;
    // Erring short: a daemon behind the venue is caught up by pausing the venue, one far ahead of it would stamp a
    // position's opening time after its own entry fill.
    this.nextLeadMs = Math.max(0, loadMs - LEAD_MARGIN_MS) * this.options.speed;
    return this.nextLeadMs;
  }

  /**
   * Starts the daemon and resolves once it has reconciled and announced itself (its `started` notification is in
   * the outbox). Returns false when the process exited first.
   */
  async startDaemon(limitMs = 60_000): Promise<boolean> {
    this.protection.daemonDown();
    this.daemon.start(this.daemonEnv());
    const previous = this.lastStartedId;
    let started: { id: number; at: Date } | undefined;
    await waitUntil(
      async () => {
        if (!this.daemon.alive) return true;
        const last = await this.database.lastStart();
        if (last && last.id > previous) started = last;
        return started !== undefined;
      },
      'the daemon to reconcile and announce its start',
      limitMs,
      5,
    );
    if (!started) return false;
    this.lastStartedId = started.id;
    await this.alignClocks(started.at);
    this.protection.daemonUp();
    return true;
  }

  /** SIGKILL at once; safe inside a venue request hook. */
  killDaemonNow(): boolean {
    this.protection.daemonDown();
    return this.daemon.killNow();
  }

  /** Resolves once the simulated clock has reached `time` (or the daemon exited, when `whileAlive`). */
  async untilSim(time: number, options: { whileAlive?: boolean } = {}): Promise<void> {
    const limit = this.realMs(time - this.simNow()) + 60_000;
    await waitUntil(() => this.simNow() >= time || (options.whileAlive === true && !this.daemon.alive), `simulated ${new Date(time).toISOString()}`, limit, 20);
  }

  async killDaemon(): Promise<void> {
    this.protection.daemonDown();
    await this.daemon.kill();
  }

  async stopDaemon(): Promise<DaemonExit | undefined> {
    this.protection.daemonDown();
    return this.daemon.stop();
  }

  async close(): Promise<void> {
    this.protection.stop();
    await this.daemon.close();
    await Promise.allSettled([this.venue.close(), this.claude.close(), this.deepseek.close(), this.grok.close(), this.telegram.close()]);
    await this.proxy.close();
    await this.redis.stop();
    await this.database.drop();
  }

  /**
   * The daemon stamps its `started` row with its own clock, just seen; compared with the venue's, that is how far
   * apart they start. The venue then catches up (a jump forward) or waits (its clock paused) so both agree: the
   * daemon books a trade from fills up to its own "now" and from a minute before its own opening time, so clocks
   * apart by more than that would lose or delay bookings for reasons no live daemon meets.
   */
  private async alignClocks(daemonAt: Date): Promise<void> {
    const offsetSim = daemonAt.getTime() - this.venue.now();
    const offsetMs = this.realMs(offsetSim);
    this.clockOffsetsMs.push(offsetMs);
    // Without the lead the clock would have been this far behind: the time it took to load.
    this.loadTimesMs.push(this.realMs(this.nextLeadMs) - offsetMs);
    if (offsetSim > 0) {
      this.venue.advance(offsetSim);
    } else if (offsetSim < 0) {
      this.venue.runClock(false);
      await pause(-offsetMs);
      this.venue.runClock(true, this.options.speed);
    }
  }
}
