// Every environment variable the daemon reads, in one table: the schema, `.env.example` and the README's
// configuration table are all generated from it, so they cannot drift apart.

export type VariableKind =
  | { readonly type: 'number'; readonly min: number; readonly max: number; readonly integer?: boolean }
  | { readonly type: 'boolean' }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'string'; readonly pattern?: RegExp; readonly patternHint?: string }
  | { readonly type: 'url'; readonly protocols: readonly string[] }
  | { readonly type: 'symbols'; readonly maxCount: number };

export interface VariableSpec {
  readonly name: string;
  readonly section: 'trading' | 'risk' | 'exits' | 'schedule' | 'costs' | 'exchange' | 'ai' | 'telegram' | 'infra';
  readonly kind: VariableKind;
  /** Default as it would be written in `.env`; undefined = unset by default. */
  readonly default?: string;
  /** Secrets are never echoed in errors or logs, may come from `<NAME>_FILE`, and may be `enc:v1:` encrypted. */
  readonly secret?: boolean;
  /**
   * `.env.example` shows the default commented out, so a copied `.env` leaves the value to the platform: the Docker
   * image sets its own (HTTP_HOST=0.0.0.0 inside the container), and an uncommented default would override it.
   */
  readonly commentedInExample?: boolean;
  readonly description: string;
}

const num = (min: number, max: number, integer = false): VariableKind => ({ type: 'number', min, max, integer });
const bool: VariableKind = { type: 'boolean' };

/** What the owner types to confirm that real orders with real money are intended (LIVE_TRADING_ACKNOWLEDGED). */
export const LIVE_TRADING_SENTENCE = 'I UNDERSTAND THE RISKS';

export const DEFAULT_SYMBOLS = ['BTC', 'ETH', 'SOL', 'BNB', 'XRP', 'DOGE', 'ADA', 'AVAX', 'LINK', 'DOT']
  .map((base) => `${base}/USDT:USDT`)
  .join(',');

export const VARIABLES: readonly VariableSpec[] = [
  // trading
  { name: 'USE_PAPER_TRADING', section: 'trading', kind: bool, default: 'true', description: 'true: live prices, simulated fills, no keys needed. false: real orders on the exchange account.' },
  { name: 'LIVE_TRADING_ACKNOWLEDGED', section: 'trading', kind: { type: 'string', patternHint: `the sentence ${LIVE_TRADING_SENTENCE}` }, description: `Live trading (USE_PAPER_TRADING=false) starts only when this holds the sentence ${LIVE_TRADING_SENTENCE}, in capitals as shown (spaces at the ends and repeated spaces do not matter). Paper mode ignores it.` },
  { name: 'INITIAL_CAPITAL', section: 'trading', kind: num(10, 10_000_000), default: '100', description: 'Starting balance of the paper account (USDT); changed later, the difference is paid into or taken out of its wallet at the next start. In live mode the most of the account the daemon will ever use.' },
  { name: 'SYMBOLS', section: 'trading', kind: { type: 'symbols', maxCount: 15 }, default: DEFAULT_SYMBOLS, description: 'Comma-separated linear perpetuals to scan, as BASE/QUOTE:SETTLE (1 to 15): BTC/USDT:USDT on Binance and Bybit, BTC/USDC:USDC on Binance and Hyperliquid. All settle in the same asset. Unset on Hyperliquid: the default list with USDC.' },
  { name: 'CLOSE_ON_SHUTDOWN', section: 'trading', kind: bool, default: 'false', description: 'Close open positions on SIGTERM/SIGINT. Off: positions stay open, protected by their exchange-side stop.' },
  { name: 'ORDER_ID_PREFIX', section: 'trading', kind: { type: 'string', pattern: /^[a-z0-9]{2,8}$/, patternHint: '2-8 lowercase letters or digits' }, default: 'ltd', description: 'Prefix of every client order id, so the daemon recognises its own orders.' },
  // trading: the universe (which markets are scanned)
  { name: 'UNIVERSE', section: 'trading', kind: { type: 'enum', values: ['static', 'top_volume'] }, default: 'static', description: 'static: scan SYMBOLS. top_volume: once a day, pick the busiest linear perpetuals of the venue by 24h volume (SYMBOLS is then the list used until the first pick works).' },
  { name: 'UNIVERSE_SIZE', section: 'trading', kind: num(1, 200, true), default: '30', description: 'With UNIVERSE=top_volume: how many markets are kept and scanned by the technical pre-filter.' },
  { name: 'UNIVERSE_ASK_TOP', section: 'trading', kind: num(1, 15, true), default: '3', description: 'With UNIVERSE=top_volume: how many of the scanned markets (those with the most technical signals at once) go to the AI analysts.' },
  { name: 'UNIVERSE_MIN_VOLUME_USD', section: 'trading', kind: num(0, 1e12), default: '50000000', description: 'With UNIVERSE=top_volume: the least 24h traded value (USD) a market needs.' },
  { name: 'UNIVERSE_MIN_LISTING_DAYS', section: 'trading', kind: num(0, 3650, true), default: '30', description: 'With UNIVERSE=top_volume: days a market must have been listed (0: no check). A market the venue gives no listing date for stays out, unless the venue dates none of its markets (Hyperliquid): the check is then not applied, and /universe says so.' },
  { name: 'UNIVERSE_MAX_FUNDING_RATE', section: 'trading', kind: num(0, 0.05), default: '0.001', description: 'With UNIVERSE=top_volume: markets whose funding per 8 hours is beyond plus or minus this (0.001 = 0.1%) are left out; a market settling every 4 h counts its rate twice, every 1 h eight times.' },
  { name: 'SYMBOLS_EXCLUDE', section: 'trading', kind: { type: 'symbols', maxCount: 200 }, description: 'With UNIVERSE=top_volume: markets never picked, as BASE/USDT:USDT.' },
  { name: 'SHADOW_STRATEGIES', section: 'trading', kind: { type: 'string', patternHint: 'inline JSON starting with [, or the path of a JSON file' }, description: 'Paper variants that trade beside the main account on the same scans, each with its own paper account (README: Shadow strategies). Inline JSON or a JSON file path. Unset: none.' },
  // risk
  { name: 'MAX_LEVERAGE', section: 'risk', kind: num(1, 5, true), default: '5', description: 'Highest leverage any position may use.' },
  { name: 'POSITION_SIZE_PERCENT', section: 'risk', kind: num(0.01, 0.8), default: '0.80', description: 'Largest share of available capital posted as margin for one position (0.80 = 80%).' },
  { name: 'MIN_STOP_LOSS_PERCENT', section: 'risk', kind: num(0.01, 0.2), default: '0.05', description: 'Closest allowed stop-loss, as a fraction of entry.' },
  { name: 'MAX_STOP_LOSS_PERCENT', section: 'risk', kind: num(0.01, 0.2), default: '0.10', description: 'Farthest allowed stop-loss, as a fraction of entry.' },
  { name: 'MAX_LOSS_AT_STOP_PERCENT', section: 'risk', kind: num(0.01, 0.5), default: '0.20', description: 'Positions are sized down so a stop-out (fees included) loses at most this share of capital.' },
  { name: 'MIN_LIQUIDATION_DISTANCE_PERCENT', section: 'risk', kind: num(0.05, 0.5), default: '0.10', description: 'Liquidation price must be at least this far from entry.' },
  { name: 'DAILY_LOSS_LIMIT_PERCENT', section: 'risk', kind: num(0.01, 0.5), default: '0.10', description: "Realised loss in a UTC day, as a share of the day's starting capital, that stops new entries until the next day." },
  { name: 'MAX_CONSECUTIVE_LOSSES', section: 'risk', kind: num(1, 20, true), default: '3', description: 'Losing trades in a row, in the order they closed, that pause new entries until the next UTC day or /resume.' },
  { name: 'MAX_OPEN_POSITIONS', section: 'risk', kind: num(1, 5, true), default: '1', description: 'Positions open at the same time.' },
  { name: 'MIN_AI_CONFIDENCE', section: 'risk', kind: num(0.5, 1), default: '0.75', description: 'Confidence each agreeing analyst needs for a trade; a trade vote below it counts as that analyst\'s HOLD. Also the confidence an AI exit opinion needs to close.' },
  { name: 'MIN_OPPORTUNITY_SCORE', section: 'risk', kind: num(0, 100), default: '80', description: 'Opportunity score (0-100) a trade needs.' },
  // sizing, portfolio limits, drawdown kill switch, calendar blackout
  { name: 'POSITION_SIZING', section: 'risk', kind: { type: 'enum', values: ['fixed', 'atr_risk', 'kelly'] }, default: 'fixed', description: "fixed: POSITION_SIZE_PERCENT of available capital as margin, sized down to MAX_LOSS_AT_STOP_PERCENT. atr_risk: lose RISK_PER_TRADE_PERCENT of capital at the stop (placed about 2.5 1h ATRs away). kelly: fractional Kelly from the agreeing analysts' scored votes, fixed until KELLY_MIN_SCORED_VOTES are scored. Every mode is capped at fixed's size." },
  { name: 'RISK_PER_TRADE_PERCENT', section: 'risk', kind: num(0.001, 0.5), default: '0.02', description: 'atr_risk sizing: share of capital lost when the stop fills, fees included (never more than MAX_LOSS_AT_STOP_PERCENT).' },
  { name: 'KELLY_FRACTION', section: 'risk', kind: num(0.05, 1), default: '0.25', description: 'kelly sizing: share of the full Kelly bet taken (0.25 = quarter Kelly).' },
  { name: 'KELLY_MIN_SCORED_VOTES', section: 'risk', kind: num(1, 100_000, true), default: '30', description: "kelly sizing: scored votes the agreeing analysts need between them before their record sizes a trade; fewer: fixed sizing." },
  { name: 'MAX_ASSET_EXPOSURE', section: 'risk', kind: num(0.1, 25), default: '4', description: 'Largest notional of one position, as a multiple of capital (4 = 400%, what fixed sizing reaches at 80% margin and 5x).' },
  { name: 'MAX_TOTAL_EXPOSURE', section: 'risk', kind: num(0.1, 25), default: '4', description: 'Largest sum of the open positions\' notional, as a multiple of capital; a new entry is sized into the room left.' },
  { name: 'CORRELATION_THRESHOLD', section: 'risk', kind: num(0, 1), default: '0.8', description: 'No second position in the same direction on a symbol whose 1h returns correlated above this with an open one over CORRELATION_DAYS.' },
  { name: 'CORRELATION_DAYS', section: 'risk', kind: num(1, 30, true), default: '7', description: 'Days of closed 1h candles the correlation guard compares.' },
  { name: 'MAX_ENTRIES_PER_HOUR', section: 'risk', kind: num(1, 100, true), description: 'Optional cap on entries in the last 60 minutes. Unset: no cap.' },
  { name: 'MAX_ENTRIES_PER_DAY', section: 'risk', kind: num(1, 1000, true), description: 'Optional cap on entries in one UTC day. Unset: no cap.' },
  { name: 'MAX_DRAWDOWN_PERCENT', section: 'risk', kind: num(0.01, 0.9), default: '0.25', description: 'Drawdown of equity (wallet plus open P&L) from its peak that stops new entries until /resume; kept across restarts.' },
  { name: 'DRAWDOWN_WARNING_STEPS', section: 'risk', kind: { type: 'string', pattern: /^0?\.\d+(\s*,\s*0?\.\d+)*$/, patternHint: 'comma-separated fractions, e.g. 0.05,0.10' }, default: '0.05,0.10', description: 'Drawdowns from the peak announced once each, until equity makes a new peak.' },
  { name: 'DRAWDOWN_CLOSE_ALL', section: 'risk', kind: bool, default: 'false', description: 'When MAX_DRAWDOWN_PERCENT is reached, also close every open position (through the loop, as /close does).' },
  { name: 'CALENDAR_FILE', section: 'risk', kind: { type: 'string' }, description: 'High-impact events (FOMC, CPI, NFP) that pause entries: a CSV (time_utc,kind,title) or an ICS file. Unset: the bundled calendar/economic-events.csv, which names its sources.' },
  { name: 'CALENDAR_BLACKOUT_BEFORE_MINUTES', section: 'risk', kind: num(0, 1440, true), default: '30', description: 'No new entries from this many minutes before a calendar event.' },
  { name: 'CALENDAR_BLACKOUT_AFTER_MINUTES', section: 'risk', kind: num(0, 1440, true), default: '60', description: 'No new entries until this many minutes after a calendar event.' },
  // exits
  { name: 'MIN_PROFIT_USD', section: 'exits', kind: num(0, 100_000), default: '2.50', description: 'Net profit below which no discretionary exit happens (only the stop or liquidation protection close such a position). An entry whose price must move more than 15% to earn it is refused.' },
  { name: 'TRAILING_STOP_PERCENT', section: 'exits', kind: num(0.005, 0.2), description: 'Optional trailing stop distance from the best price once in profit (fraction). Unset: off.' },
  { name: 'TAKE_PROFIT_LADDER', section: 'exits', kind: { type: 'string' }, description: 'Partial take-profits resting on the exchange as reduce-only orders, e.g. 0.5@1R,0.25@2R (share of the position @ multiple of the stop distance) or 0.5@3% (of the price). After each partial fill the stop is re-armed for the rest (placed and verified before the old one is cancelled). A step that would book less than MIN_PROFIT_USD is not placed. Unset: off.' },
  { name: 'TAKE_PROFIT_BREAK_EVEN', section: 'exits', kind: bool, default: 'false', description: 'With TAKE_PROFIT_LADDER, move the stop to break-even (fees, funding so far and any loss of a part closed earlier included) when the first step fills.' },
  { name: 'TRAILING_ACTIVATION_PERCENT', section: 'exits', kind: num(0, 0.5), default: '0.01', description: 'The trailing stop acts only once the best price is this far in profit from the entry (fraction of price); before that only the original stop protects the position.' },
  { name: 'TRAILING_ON_EXCHANGE', section: 'exits', kind: bool, default: 'true', description: "With TRAILING_STOP_PERCENT set, move the stop on the exchange along the trail (the new stop is placed and verified before the old one is cancelled), never closer to the mark than the venue accepts and never to a level that would book less than MIN_PROFIT_USD. The daemon's own trailing exit stays as the second line." },
  { name: 'TRAILING_MIN_INTERVAL_SECONDS', section: 'exits', kind: num(0, 86_400, true), default: '60', description: 'At most one move of a position\'s exchange stop per this many seconds.' },
  { name: 'TRAILING_MIN_STEP_PERCENT', section: 'exits', kind: num(0, 0.05), default: '0.001', description: 'Smallest move of the exchange stop worth replacing it, as a fraction of the current stop.' },
  { name: 'MAX_HOLDING_HOURS', section: 'exits', kind: num(1, 720), description: 'Optional time-based exit after this many hours. Unset: off.' },
  // exits on the venue
  { name: 'TAKE_PROFIT_ON_EXCHANGE', section: 'exits', kind: bool, description: "Place a reduce-only take-profit order (triggered on the mark price) with every stop, so the target is met while the daemon is down; the daemon's own take-profit rules stay as the second line. Unset: on in live mode, off in paper mode and replays." },
  // schedule
  { name: 'SCAN_INTERVAL_SECONDS', section: 'schedule', kind: num(30, 86_400, true), default: '300', description: 'Time between market scans while flat.' },
  { name: 'POSITION_CHECK_SECONDS', section: 'schedule', kind: num(5, 600, true), default: '60', description: 'Heartbeat of the position monitor (the price stream reacts faster).' },
  // costs
  { name: 'TAKER_FEE_RATE', section: 'costs', kind: num(0, 0.01), description: "Taker fee per side, used for sizing, P&L estimates and paper fills. Unset: the venue's base rate (Binance 0.0005, Bybit 0.00055, Hyperliquid 0.00045)." },
  { name: 'SLIPPAGE_BPS', section: 'costs', kind: num(0, 200), default: '5', description: 'Slippage allowance in basis points: paper and replay fills slip this much against the trader, live entries are limit orders at most this far from the price, and every position is sized for a fill this much worse.' },
  // exchange
  { name: 'EXCHANGE', section: 'exchange', kind: { type: 'enum', values: ['binanceusdm', 'bybit', 'hyperliquid'] }, default: 'binanceusdm', description: 'The futures venue: Binance USDⓈ-M, Bybit linear perpetuals, or Hyperliquid perpetuals (see the README for the keys each needs).' },
  { name: 'BINANCE_API_KEY', section: 'exchange', kind: { type: 'string' }, secret: true, description: 'Binance API key (live mode only). Create it without withdrawal permission.' },
  { name: 'BINANCE_SECRET_KEY', section: 'exchange', kind: { type: 'string' }, secret: true, description: 'Binance API secret (live mode only).' },
  { name: 'BYBIT_API_KEY', section: 'exchange', kind: { type: 'string' }, secret: true, description: 'Bybit API key (live mode, EXCHANGE=bybit). Contract orders and positions only, no Wallet permissions, bound to your IP.' },
  { name: 'BYBIT_SECRET_KEY', section: 'exchange', kind: { type: 'string' }, secret: true, description: 'Bybit API secret (live mode, EXCHANGE=bybit).' },
  { name: 'HYPERLIQUID_ACCOUNT_ADDRESS', section: 'exchange', kind: { type: 'string', pattern: /^0x[0-9a-fA-F]{40}$/, patternHint: 'a wallet address, 0x and 40 hex digits' }, description: "Hyperliquid: the main wallet's ADDRESS, whose account is traded (live mode, EXCHANGE=hyperliquid). Never its private key." },
  { name: 'HYPERLIQUID_API_WALLET_KEY', section: 'exchange', kind: { type: 'string', pattern: /^(0x)?[0-9a-fA-F]{64}$/, patternHint: 'a private key, 64 hex digits' }, secret: true, description: "Hyperliquid: the private key of an API (agent) wallet authorised for the account (More → API): it can trade but not withdraw. The main wallet's key is refused." },
  { name: 'EXCHANGE_SANDBOX', section: 'exchange', kind: bool, default: 'false', description: "Use the venue's testnet / demo trading where ccxt offers one." },
  { name: 'EXCHANGE_API_ORIGIN', section: 'exchange', kind: { type: 'url', protocols: ['http:', 'https:'] }, description: 'Replace scheme and host of every REST URL (proxies, tests).' },
  { name: 'EXCHANGE_WS_ORIGIN', section: 'exchange', kind: { type: 'url', protocols: ['ws:', 'wss:'] }, description: 'Replace scheme and host of every websocket URL.' },
  { name: 'MARGIN_MODE', section: 'exchange', kind: { type: 'enum', values: ['isolated'] }, default: 'isolated', description: 'Margin mode set per symbol before entry (isolated only: a bad trade cannot drain the account).' },
  { name: 'ORPHAN_POSITION_POLICY', section: 'exchange', kind: { type: 'enum', values: ['adopt', 'close'] }, default: 'adopt', description: 'What to do with a position on the exchange the daemon does not know: adopt (and protect) or close.' },
  // ai
  { name: 'CLAUDE_API_KEY', section: 'ai', kind: { type: 'string' }, secret: true, description: 'Anthropic API key. Unset: Claude is not asked.' },
  { name: 'CLAUDE_MODEL', section: 'ai', kind: { type: 'string' }, description: 'Claude model id (default: the newest Sonnet the installed SDK knows).' },
  { name: 'CLAUDE_BASE_URL', section: 'ai', kind: { type: 'url', protocols: ['http:', 'https:'] }, description: 'Anthropic API base URL (gateways, tests).' },
  { name: 'DEEPSEEK_API_KEY', section: 'ai', kind: { type: 'string' }, secret: true, description: 'DeepSeek API key. Unset: DeepSeek is not asked.' },
  { name: 'DEEPSEEK_MODEL', section: 'ai', kind: { type: 'string' }, default: 'deepseek-flash', description: 'DeepSeek model id (deepseek-chat and deepseek-reasoner were retired on 2026-07-24).' },
  { name: 'DEEPSEEK_BASE_URL', section: 'ai', kind: { type: 'url', protocols: ['http:', 'https:'] }, default: 'https://api.deepseek.com', description: 'DeepSeek API base URL.' },
  { name: 'ENABLE_GROK', section: 'ai', kind: bool, default: 'false', description: 'Ask Grok as the third analyst.' },
  { name: 'GROK_API_KEY', section: 'ai', kind: { type: 'string' }, secret: true, description: 'xAI API key (with ENABLE_GROK=true).' },
  { name: 'GROK_MODEL', section: 'ai', kind: { type: 'string' }, description: 'Grok model id (default: grok-4-1-fast-non-reasoning).' },
  { name: 'GROK_BASE_URL', section: 'ai', kind: { type: 'url', protocols: ['http:', 'https:'] }, default: 'https://api.x.ai/v1', description: 'xAI API base URL.' },
  { name: 'AI_TIMEOUT_SECONDS', section: 'ai', kind: num(1, 120), default: '10', description: 'Time budget of one AI call, its retries included; a slower answer counts as no answer.' },
  { name: 'AI_MONTHLY_BUDGET_USD', section: 'ai', kind: num(0, 1_000_000), default: '0', description: 'Most the AI calls may cost in one UTC month (USD), shadow strategies\' extra calls included; 0: no cap. Once reached, no AI call is made until the 1st of the next month, and no new trade opens without the AI votes; stops, exits by rule and every other protection keep running.' },
  { name: 'AI_MODE', section: 'ai', kind: { type: 'enum', values: ['cascade', 'full'] }, default: 'cascade', description: 'cascade: a technical pre-filter and a cheap screening model before the others are asked; full: every model on every symbol.' },
  // telegram
  { name: 'TELEGRAM_BOT_TOKEN', section: 'telegram', kind: { type: 'string' }, secret: true, description: 'Bot token from @BotFather. Unset: messages go to the console.' },
  { name: 'TELEGRAM_CHAT_ID', section: 'telegram', kind: { type: 'string', pattern: /^-?\d+$/, patternHint: 'a numeric chat id' }, description: 'The only chat that receives messages and whose commands are obeyed.' },
  { name: 'TELEGRAM_OWNER_IDS', section: 'telegram', kind: { type: 'string', pattern: /^\d{1,16}(\s*,\s*\d{1,16})*$/, patternHint: 'comma-separated numeric Telegram user ids' }, description: 'Users who may /pause, /resume and /close; others in the chat get the read-only commands. Unset: in a private chat its user, in a group nobody.' },
  { name: 'TELEGRAM_API_ROOT', section: 'telegram', kind: { type: 'url', protocols: ['http:', 'https:'] }, default: 'https://api.telegram.org', description: 'Bot API server (self-hosted servers, tests).' },
  { name: 'NOTIFY_SCANS', section: 'telegram', kind: { type: 'enum', values: ['all', 'changes', 'off'] }, default: 'changes', description: 'Scan results: every scan, only when a trade follows or the best opportunity changes, or never.' },
  { name: 'POSITION_UPDATE_MINUTES', section: 'telegram', kind: num(0, 1440, true), default: '5', description: 'Minutes between the update messages of an open position (price, P&L, distance to stop and liquidation). 0: none; the opened and closed messages still come.' },
  // infra
  { name: 'DATABASE_URL', section: 'infra', kind: { type: 'url', protocols: ['postgres:', 'postgresql:'] }, secret: true, description: 'Postgres connection URL. Unset: embedded PGlite under DATA_DIR.' },
  { name: 'REDIS_URL', section: 'infra', kind: { type: 'url', protocols: ['redis:', 'rediss:'] }, secret: true, description: 'Redis URL for the cache. Unset: in-process cache.' },
  { name: 'DATA_DIR', section: 'infra', kind: { type: 'string' }, default: './data', description: 'Folder of the embedded database and other local state.' },
  { name: 'RECORD_RETENTION_DAYS', section: 'infra', kind: num(0, 36_500, true), default: '190', description: 'Days the AI answers (every vote of every scan), the stored log lines, the risk manager\'s refusals, breaker events and delivered messages are kept; older ones are deleted once a day. 0: kept forever. Always kept: trades, positions, orders, daily results, the votes that opened a position, votes not scored yet, each model\'s all-time track record, this and last month\'s AI spend, messages not delivered yet, and the start-up messages. The dashboard\'s model page reads 26 weeks: under 190 days it shows fewer.' },
  { name: 'LOG_LEVEL', section: 'infra', kind: { type: 'enum', values: ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] }, default: 'info', description: 'Log level (JSON lines on stdout).' },
  { name: 'HTTP_HOST', section: 'infra', kind: { type: 'string', pattern: /^[A-Za-z0-9.:-]+$/, patternHint: 'an IP address or host name, e.g. 127.0.0.1 or 0.0.0.0' }, default: '127.0.0.1', commentedInExample: true, description: "Address /health and /metrics listen on. 127.0.0.1: this machine only (/metrics shows equity and AI spend). The Docker image sets 0.0.0.0, and compose publishes the port on the host's loopback only." },
  { name: 'HTTP_PORT', section: 'infra', kind: num(0, 65_535, true), default: '8000', description: 'Port of /health and /metrics (0 = any free port).' },
  { name: 'SIMULATION_SPEED', section: 'infra', kind: num(1, 10_000), default: '1', description: 'Testing only: run the clock this many times faster than real time (soak tests). Paper trading, or a local exchange.' },
  { name: 'SIMULATION_START', section: 'infra', kind: { type: 'string', pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/, patternHint: 'a UTC time like 2025-10-01T00:00:00Z' }, description: 'Testing only: the simulated time an accelerated clock starts at (needs SIMULATION_SPEED above 1). Unset: now.' },
  { name: 'GIT_COMMIT', section: 'infra', kind: { type: 'string', pattern: /^[0-9a-f]{7,40}$/i, patternHint: 'a git commit hash (7 to 40 hex digits)' }, description: 'The commit the code was built from, shown by /version. The Docker image takes it from its GIT_COMMIT build argument. Unset: unknown.' },
  // dashboard
  { name: 'DASHBOARD_ENABLED', section: 'infra', kind: bool, default: 'true', description: 'Serve the web dashboard and its API (/api/) beside /health and /metrics. Off: only /health and /metrics.' },
  { name: 'DASHBOARD_PASSWORD', section: 'infra', kind: { type: 'string' }, secret: true, description: "The owner's dashboard password (12 characters or more). Unset: one is created on the first start, shown once (on a terminal; otherwise in a private file whose path is logged) and stored hashed under DATA_DIR." },
  { name: 'DASHBOARD_READONLY_PASSWORD', section: 'infra', kind: { type: 'string' }, secret: true, description: 'Password of a read-only dashboard login that sees everything and changes nothing. Unset: no read-only login.' },
  { name: 'DASHBOARD_SESSION_HOURS', section: 'infra', kind: num(1, 720), default: '12', description: 'A dashboard login lasts this long, then asks for the password again.' },
  { name: 'DASHBOARD_ALLOWED_HOSTS', section: 'infra', kind: { type: 'string', pattern: /^[A-Za-z0-9.:[\]-]+(\s*,\s*[A-Za-z0-9.:[\]-]+)*$/, patternHint: 'comma-separated host names, e.g. dash.example.com' }, description: "Domain names the dashboard answers to besides localhost (an IP address such as 127.0.0.1 is always answered): the domain of a reverse proxy in front of it. Requests for any other name are refused (421), which stops DNS-rebinding pages. Unset: localhost and addresses only." },
  { name: 'REPORTS_DIR', section: 'infra', kind: { type: 'string' }, default: './reports', description: 'Folder of the HTML backtest reports (`npm run backtest` writes reports/backtest.html) that the dashboard lists and shows. Only .html files directly in it are served.' },
  { name: 'MASTER_KEY', section: 'infra', kind: { type: 'string' }, secret: true, description: 'Key that decrypts enc:v1: secret values (or MASTER_KEY_FILE).' },
];
