// The whole daemon as `npm start` runs it (src/main.ts, in this process), trading live on the local fake Binance
// venue, with two local AI providers that always see a long, the local Telegram Bot API, and the dashboard on a
// free port. The page and the tests talk to it over HTTP like a browser on the owner's machine.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDaemon } from '../../src/main.js';
import { AnthropicServer } from '../peers/anthropic/anthropic-server.js';
import { type FakeBinance, TEST_API_KEY, TEST_SECRET, startFakeBinance } from '../peers/binance-usdm/index.js';
import { tokensFor, userTextOf } from '../peers/market-aware-answers.js';
import { OpenAiServer } from '../peers/openai/openai-server.js';
import { FakeBotApi } from '../peers/telegram/fake-bot-api.js';

export const OWNER_PASSWORD = 'owner-password-for-tests-7f3a';
export const VIEWER_PASSWORD = 'viewer-password-for-tests-91c2';
export const TELEGRAM_TOKEN = '555111:dashboard-test-bot-token';
export const TELEGRAM_CHAT = '4242';
export const BTC = 'BTC/USDT:USDT';
export const START_PRICE = 100_000;

/** Every answer: a long, 3x, 6% stop, 12% target, 80% sure. */
function alwaysLong(body: unknown) {
  if (/should_exit/.test(JSON.stringify(body))) {
    const text = JSON.stringify({ should_exit: false, confidence: 0.6, reason: 'The move is intact.' });
    return { text, usage: tokensFor(body, text) };
  }
  const price = Number(/price ([\d.]+) \|/.exec(userTextOf(body))?.[1]);
  const text = JSON.stringify({
    action: 'LONG',
    confidence: 0.8,
    leverage: 3,
    stop_loss_pct: 0.06,
    entry_price: price,
    stop_loss_price: price * 0.94,
    take_profit_price: price * 1.12,
    risk_reward: 2,
    reasoning: 'Test voice: the trend is up on every timeframe.',
    key_factors: ['trend'],
  });
  return { text, usage: tokensFor(body, text) };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface WorldOptions {
  /** Extra or different daemon variables. */
  readonly env?: Readonly<Record<string, string>>;
  /** Where the setup wizard writes its configuration file. */
  readonly configFile?: string;
  /** How long start-up may take before the world gives up (each shadow strategy creates a database of its own). */
  readonly startLimitMs?: number;
}

export class DashboardWorld {
  private readonly stop = new AbortController();
  private running?: Promise<number>;

  private constructor(
    readonly venue: FakeBinance,
    readonly claude: AnthropicServer,
    readonly deepseek: OpenAiServer,
    readonly telegram: FakeBotApi,
    readonly dir: string,
    readonly port: number,
    readonly env: Readonly<Record<string, string>>,
    /** Where the setup wizard writes. */
    readonly configFile: string,
  ) {}

  static async start(options: WorldOptions = {}): Promise<DashboardWorld> {
    const venue = await startFakeBinance({ balance: 1_000, clientIdScope: 'open' });
    venue.setPrice('BTCUSDT', START_PRICE);
    venue.runClock(true);
    const [claude, deepseek, telegram] = await Promise.all([
      AnthropicServer.start(),
      OpenAiServer.start(),
      FakeBotApi.start({ token: TELEGRAM_TOKEN, timeSource: () => venue.now() }),
    ]);
    claude.answerByDefault(alwaysLong);
    deepseek.answerByDefault(alwaysLong);
    const dir = await mkdtemp(join(tmpdir(), 'ltd-dashboard-'));
    const port = await freePort();
    // One backtest report for the dashboard to list and show, as `npm run backtest` would have left it.
    await mkdir(join(dir, 'reports'));
    await writeFile(join(dir, 'reports', 'backtest.html'), '<!doctype html><title>Backtest</title><p>a backtest report</p>');
    const env: Record<string, string> = {
      USE_PAPER_TRADING: 'false',
      LIVE_TRADING_ACKNOWLEDGED: 'I UNDERSTAND THE RISKS',
      BINANCE_API_KEY: TEST_API_KEY,
      BINANCE_SECRET_KEY: TEST_SECRET,
      EXCHANGE_API_ORIGIN: venue.origin,
      EXCHANGE_WS_ORIGIN: venue.wsOrigin,
      SYMBOLS: BTC,
      INITIAL_CAPITAL: '1000',
      MIN_OPPORTUNITY_SCORE: '40',
      MIN_AI_CONFIDENCE: '0.6',
      AI_MODE: 'full',
      CLAUDE_API_KEY: AnthropicServer.DEFAULT_KEY,
      CLAUDE_BASE_URL: claude.baseURL,
      DEEPSEEK_API_KEY: OpenAiServer.DEFAULT_KEY,
      DEEPSEEK_BASE_URL: deepseek.baseURL,
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_CHAT_ID: TELEGRAM_CHAT,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      DATA_DIR: join(dir, 'data'),
      REPORTS_DIR: join(dir, 'reports'),
      HTTP_PORT: String(port),
      LOG_LEVEL: 'warn',
      DASHBOARD_PASSWORD: OWNER_PASSWORD,
      DASHBOARD_READONLY_PASSWORD: VIEWER_PASSWORD,
      // The daemon keeps the venue's time: its fills and its clock must agree (a hair faster than real time).
      SIMULATION_SPEED: '1.0001',
      SIMULATION_START: new Date(venue.now()).toISOString(),
      ...options.env,
    };
    const configFile = options.configFile ?? join(dir, 'setup.env');
    const world = new DashboardWorld(venue, claude, deepseek, telegram, dir, port, env, configFile);
    world.running = runDaemon({
      config: { env, dotenvPath: undefined },
      installSignalHandlers: false,
      signal: world.stop.signal,
      configFile,
    });
    await world.waitForHttp(options.startLimitMs);
    return world;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Every secret value the daemon was given. */
  get secrets(): string[] {
    return [TEST_API_KEY, TEST_SECRET, AnthropicServer.DEFAULT_KEY, OpenAiServer.DEFAULT_KEY, TELEGRAM_TOKEN, OWNER_PASSWORD, VIEWER_PASSWORD];
  }

  private async waitForHttp(limitMs = 60_000): Promise<void> {
    const deadline = performance.now() + limitMs;
    let exited = false;
    void this.running?.then(() => (exited = true));
    while (performance.now() < deadline) {
      if (exited) throw new Error(`the daemon exited before serving (code ${await this.running})`);
      try {
        const response = await fetch(`${this.origin}/api/session`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the dashboard did not answer within ${limitMs} ms`);
  }

  /** Stops the daemon and waits for its exit code; the data folder stays until `close`. */
  async halt(): Promise<number | undefined> {
    this.stop.abort();
    return this.running;
  }

  async close(): Promise<number | undefined> {
    const code = await this.halt();
    await Promise.allSettled([this.venue.close(), this.claude.close(), this.deepseek.close(), this.telegram.close()]);
    await rm(this.dir, { recursive: true, force: true });
    return code;
  }
}
