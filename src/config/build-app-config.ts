// Assembles the typed config from validated values and checks the rules that involve several variables.
import { CONSERVATIVE_MAINTENANCE_MARGIN_RATE } from '../domain/maintenance-margin.js';
import type { SizingMode } from '../domain/position-sizing.js';
import { parseTakeProfitLadder } from '../domain/take-profit-plan.js';
import { DEFAULT_EXIT, DEFAULT_MIN_MARK_DISTANCE_PCT, DEFAULT_RISK, type VenueExitSettings } from '../domain/settings.js';
import type { AiConfig, AppConfig, PortfolioConfig, ProviderConfig } from './app-config.js';
import { signerAddress } from './hyperliquid-key.js';
import { DEFAULT_SYMBOLS, LIVE_TRADING_SENTENCE, VARIABLES } from './variables.js';

type Values = ReadonlyMap<string, unknown>;

const num = (values: Values, name: string): number => values.get(name) as number;
const optNum = (values: Values, name: string): number | undefined => values.get(name) as number | undefined;
const bool = (values: Values, name: string): boolean => values.get(name) === true;
const str = (values: Values, name: string): string => values.get(name) as string;
const optStr = (values: Values, name: string): string | undefined => values.get(name) as string | undefined;

/** TAKE_PROFIT_ON_EXCHANGE unset means on in live mode only: paper and replay keep their published results unless asked. */
function venueExits(values: Values): VenueExitSettings {
  const onExchange = values.get('TAKE_PROFIT_ON_EXCHANGE') as boolean | undefined;
  const trailing = optNum(values, 'TRAILING_STOP_PERCENT') !== undefined && bool(values, 'TRAILING_ON_EXCHANGE');
  // Checked with the other cross-field rules; an invalid ladder never reaches here as a config.
  const ladder = parseTakeProfitLadder(optStr(values, 'TAKE_PROFIT_LADDER') ?? '');
  return {
    takeProfitOnExchange: onExchange ?? !bool(values, 'USE_PAPER_TRADING'),
    ...(ladder.ok && ladder.steps.length > 0 ? { ladder: { steps: ladder.steps, breakEven: bool(values, 'TAKE_PROFIT_BREAK_EVEN') } } : {}),
    ...(trailing
      ? {
          trailing: {
            minIntervalMs: num(values, 'TRAILING_MIN_INTERVAL_SECONDS') * 1000,
            minStepPct: num(values, 'TRAILING_MIN_STEP_PERCENT'),
            minMarkDistancePct: DEFAULT_MIN_MARK_DISTANCE_PCT,
          },
        }
      : {}),
  };
}

function provider(values: Values, prefix: string): ProviderConfig | undefined {
  const apiKey = optStr(values, `${prefix}_API_KEY`);
  if (!apiKey) return undefined;
  return { apiKey, model: optStr(values, `${prefix}_MODEL`), baseUrl: optStr(values, `${prefix}_BASE_URL`) };
}

function telegramConfig(values: Values, warnings: string[]): AppConfig['telegram'] {
  const botToken = optStr(values, 'TELEGRAM_BOT_TOKEN');
  const chatId = optStr(values, 'TELEGRAM_CHAT_ID');
  if (!botToken || !chatId) return undefined;
  const owners = ownerIds(values);
  if (owners.length === 0 && isGroupChatId(chatId)) {
    warnings.push('TELEGRAM_CHAT_ID is a group and TELEGRAM_OWNER_IDS is not set: /pause, /resume and /close are refused until it lists your numeric Telegram user id.');
  }
  return { botToken, chatId, apiRoot: str(values, 'TELEGRAM_API_ROOT'), ownerIds: owners };
}

function aiConfig(values: Values, warnings: string[]): AiConfig {
  const grokEnabled = bool(values, 'ENABLE_GROK');
  const grok = grokEnabled ? provider(values, 'GROK') : undefined;
  if (grokEnabled && !grok) warnings.push('ENABLE_GROK=true but GROK_API_KEY is not set: Grok is not asked.');
  return {
    claude: provider(values, 'CLAUDE'),
    deepseek: provider(values, 'DEEPSEEK'),
    grok,
    timeoutMs: num(values, 'AI_TIMEOUT_SECONDS') * 1000,
    mode: str(values, 'AI_MODE') as AiConfig['mode'],
    monthlyBudgetUsd: num(values, 'AI_MONTHLY_BUDGET_USD'),
  };
}

/** Where liquidation sits at `leverage` for an isolated position, with a conservative maintenance rate. */
function approximateLiquidationDistance(leverage: number): number {
  return (1 / leverage - CONSERVATIVE_MAINTENANCE_MARGIN_RATE) / (1 - CONSERVATIVE_MAINTENANCE_MARGIN_RATE);
}

function isLoopback(origin: string | undefined): boolean {
  if (!origin) return false;
  const host = new URL(origin).hostname;
  return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}

/**
 * The acknowledgement is compared with surrounding whitespace trimmed and runs of whitespace taken as one space, so a
 * doubled space or a CRLF line end does not refuse a deliberate answer; the capitals must be typed as written.
 */
function acknowledgesLiveTrading(value: string | undefined): boolean {
  return value !== undefined && value.trim().split(/\s+/).join(' ') === LIVE_TRADING_SENTENCE;
}

function liveTradingConsent(values: Values): string | undefined {
  const given = optStr(values, 'LIVE_TRADING_ACKNOWLEDGED');
  if (acknowledgesLiveTrading(given)) return undefined;
  const got = given === undefined ? 'is not set' : `got ${JSON.stringify(given)}`;
  return `LIVE_TRADING_ACKNOWLEDGED: ${got}; live trading (USE_PAPER_TRADING=false) sends real orders with real money and starts only with LIVE_TRADING_ACKNOWLEDGED=${LIVE_TRADING_SENTENCE} (these words, in capitals).`;
}

/** Telegram gives users positive ids and groups, supergroups and channels negative ones. */
function isGroupChatId(chatId: string): boolean {
  return chatId.startsWith('-');
}

function ownerIds(values: Values): string[] {
  return (optStr(values, 'TELEGRAM_OWNER_IDS') ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
}

/** Each venue's base (lowest tier) taker fee per side, for sizing and paper fills when TAKER_FEE_RATE is unset. */
const BASE_TAKER_FEE: Readonly<Record<string, number>> = { binanceusdm: 0.0005, bybit: 0.00055, hyperliquid: 0.00045 };

/** The variables holding each venue's credentials: [key, secret] (Hyperliquid: account address, API wallet key). */
const CREDENTIALS: Readonly<Record<string, readonly [string, string]>> = {
  binanceusdm: ['BINANCE_API_KEY', 'BINANCE_SECRET_KEY'],
  bybit: ['BYBIT_API_KEY', 'BYBIT_SECRET_KEY'],
  hyperliquid: ['HYPERLIQUID_ACCOUNT_ADDRESS', 'HYPERLIQUID_API_WALLET_KEY'],
};

function credentialNames(values: Values): readonly [string, string] {
  return CREDENTIALS[str(values, 'EXCHANGE')] ?? ['BINANCE_API_KEY', 'BINANCE_SECRET_KEY'];
}

/** Hyperliquid lists USDC-settled perpetuals only, so its default list is the USDC one. */
function symbolsOf(values: Values): string[] {
  const symbols = values.get('SYMBOLS') as string[];
  if (str(values, 'EXCHANGE') === 'hyperliquid' && symbols.join(',') === DEFAULT_SYMBOLS) {
    return symbols.map((symbol) => symbol.replace('/USDT:USDT', '/USDC:USDC'));
  }
  return symbols;
}

function settleOf(symbol: string): string {
  return symbol.slice(symbol.indexOf(':') + 1);
}

function marketProblems(values: Values): string[] {
  const symbols = symbolsOf(values);
  const problems: string[] = [];
  const settlements = [...new Set(symbols.map(settleOf))];
  if (settlements.length > 1) {
    problems.push(`SYMBOLS: all must settle in the same asset (one account balance funds them all); got ${settlements.join(' and ')}.`);
  }
  const usdt = symbols.filter((symbol) => settleOf(symbol) !== 'USDC');
  if (str(values, 'EXCHANGE') === 'hyperliquid' && usdt.length > 0) {
    problems.push(`SYMBOLS: Hyperliquid's perpetuals settle in USDC; use ${usdt.map((s) => s.replace(/\/.*$/, '/USDC:USDC')).join(',')} instead of ${usdt.join(',')}.`);
  }
  return problems;
}

/** The API wallet's key must not be the main wallet's: that one can withdraw everything. */
function hyperliquidKeyProblems(values: Values): string[] {
  if (str(values, 'EXCHANGE') !== 'hyperliquid') return [];
  const account = optStr(values, 'HYPERLIQUID_ACCOUNT_ADDRESS');
  const key = optStr(values, 'HYPERLIQUID_API_WALLET_KEY');
  if (!account || !key) return [];
  let signer: string;
  try {
    signer = signerAddress(key);
  } catch {
    return ['HYPERLIQUID_API_WALLET_KEY: not a valid private key (64 hex digits of a secp256k1 key).'];
  }
  if (signer !== account.toLowerCase()) return [];
  return [
    "HYPERLIQUID_API_WALLET_KEY: this is the private key of the main wallet HYPERLIQUID_ACCOUNT_ADDRESS itself, which can withdraw and transfer all funds; it is refused. On app.hyperliquid.xyz open More → API, create and authorise an API wallet (it can trade but not withdraw), and put that wallet's private key here.",
  ];
}

/**
 * After a ladder step fills, the stop on the venue is for the whole original size until the daemon re-arms it for the
 * rest. Binance and Bybit close a smaller position with that stop (a reduce-only market order larger than the
 * position fills the position's size); no Hyperliquid document says so, and integrators report it refusing such orders
 * ("Reduce only order would increase position"), so between the step's fill and the re-arm the rest could be unprotected.
 */
function ladderVenueProblems(values: Values): string[] {
  if (bool(values, 'USE_PAPER_TRADING') || str(values, 'EXCHANGE') !== 'hyperliquid') return [];
  return [
    'TAKE_PROFIT_LADDER: not available with EXCHANGE=hyperliquid in live mode: after a step fills, the stop resting on the venue is larger than the rest of the position until the daemon re-arms it, and Hyperliquid may refuse that stop when it triggers, leaving the rest unprotected. Unset TAKE_PROFIT_LADDER (the final take-profit still works), or use binanceusdm or bybit.',
  ];
}

function crossFieldProblems(values: Values): string[] {
  const problems: string[] = [];
  // First, since it is the one a newcomer to live trading meets first.
  const consent = bool(values, 'USE_PAPER_TRADING') ? undefined : liveTradingConsent(values);
  if (consent) problems.push(consent);
  const ladder = parseTakeProfitLadder(optStr(values, 'TAKE_PROFIT_LADDER') ?? '');
  if (!ladder.ok) problems.push(`TAKE_PROFIT_LADDER: ${ladder.error}.`);
  else if (ladder.steps.length > 0) problems.push(...ladderVenueProblems(values));
  const minStop = num(values, 'MIN_STOP_LOSS_PERCENT');
  const maxStop = num(values, 'MAX_STOP_LOSS_PERCENT');
  if (minStop > maxStop) {
    problems.push(`MIN_STOP_LOSS_PERCENT (${minStop}) must not exceed MAX_STOP_LOSS_PERCENT (${maxStop}).`);
  }
  const leverage = num(values, 'MAX_LEVERAGE');
  const liquidation = approximateLiquidationDistance(leverage);
  if (minStop + DEFAULT_RISK.liquidationBufferPct >= liquidation) {
    problems.push(
      `MIN_STOP_LOSS_PERCENT (${minStop}) leaves no room before liquidation at MAX_LEVERAGE ${leverage} ` +
        `(about ${(liquidation * 100).toFixed(1)}% from entry): lower the leverage or the stop.`,
    );
  }
  if (!bool(values, 'USE_PAPER_TRADING')) {
    for (const name of credentialNames(values)) {
      if (!values.get(name)) problems.push(`${name}: required when USE_PAPER_TRADING=false and EXCHANGE=${str(values, 'EXCHANGE')}.`);
    }
  }
  problems.push(...marketProblems(values), ...hyperliquidKeyProblems(values));
  if (num(values, 'SIMULATION_SPEED') !== 1 && !bool(values, 'USE_PAPER_TRADING') && !isLoopback(optStr(values, 'EXCHANGE_API_ORIGIN'))) {
    problems.push('SIMULATION_SPEED: only 1 is allowed with live trading on a real venue (an accelerated clock is for tests against a local exchange).');
  }
  if (num(values, 'SIMULATION_SPEED') === 1 && values.get('SIMULATION_START') !== undefined) {
    problems.push('SIMULATION_START: only with SIMULATION_SPEED above 1 (an accelerated test clock); at speed 1 the daemon runs on the real clock, so unset SIMULATION_START.');
  }
  const dashboardPassword = optStr(values, 'DASHBOARD_PASSWORD');
  if (dashboardPassword !== undefined && dashboardPassword.length < 12) {
    problems.push('DASHBOARD_PASSWORD: too short; allowed: 12 characters or more.');
  }
  const readonlyPassword = optStr(values, 'DASHBOARD_READONLY_PASSWORD');
  if (readonlyPassword !== undefined && readonlyPassword.length < 12) {
    problems.push('DASHBOARD_READONLY_PASSWORD: too short; allowed: 12 characters or more.');
  }
  if (readonlyPassword !== undefined && readonlyPassword === dashboardPassword) {
    problems.push('DASHBOARD_READONLY_PASSWORD: must differ from DASHBOARD_PASSWORD.');
  }
  if (values.get('TELEGRAM_BOT_TOKEN') && !values.get('TELEGRAM_CHAT_ID')) {
    problems.push('TELEGRAM_CHAT_ID: required when TELEGRAM_BOT_TOKEN is set (the only chat the bot talks to).');
  }
  // A chat id without its token would turn Telegram off without a word: no message sent, no command obeyed.
  if (values.get('TELEGRAM_CHAT_ID') && !values.get('TELEGRAM_BOT_TOKEN')) {
    problems.push('TELEGRAM_BOT_TOKEN: required when TELEGRAM_CHAT_ID is set (without it the daemon sends no message and obeys no command); set the token from @BotFather, or unset TELEGRAM_CHAT_ID to run without Telegram.');
  }
  return problems;
}

function portfolioConfig(values: Values, problems: string[]): PortfolioConfig {
  const maxDrawdownPct = num(values, 'MAX_DRAWDOWN_PERCENT');
  const steps = str(values, 'DRAWDOWN_WARNING_STEPS')
    .split(',')
    .map((step) => Number(step.trim()))
    .sort((a, b) => a - b);
  if (steps.some((step) => !(step > 0) || step >= maxDrawdownPct)) {
    problems.push(`DRAWDOWN_WARNING_STEPS: each step must be above 0 and below MAX_DRAWDOWN_PERCENT (${maxDrawdownPct}).`);
  }
  return {
    sizing: {
      mode: str(values, 'POSITION_SIZING') as SizingMode,
      riskPerTradePct: num(values, 'RISK_PER_TRADE_PERCENT'),
      kellyFraction: num(values, 'KELLY_FRACTION'),
      kellyMinScoredVotes: num(values, 'KELLY_MIN_SCORED_VOTES'),
    },
    limits: {
      maxAssetExposure: num(values, 'MAX_ASSET_EXPOSURE'),
      maxTotalExposure: num(values, 'MAX_TOTAL_EXPOSURE'),
      maxEntriesPerHour: optNum(values, 'MAX_ENTRIES_PER_HOUR'),
      maxEntriesPerDay: optNum(values, 'MAX_ENTRIES_PER_DAY'),
      correlationThreshold: num(values, 'CORRELATION_THRESHOLD'),
      correlationDays: num(values, 'CORRELATION_DAYS'),
    },
    drawdown: { maxDrawdownPct, warningStepsPct: steps, closeAll: bool(values, 'DRAWDOWN_CLOSE_ALL') },
    blackout: {
      beforeMs: num(values, 'CALENDAR_BLACKOUT_BEFORE_MINUTES') * 60_000,
      afterMs: num(values, 'CALENDAR_BLACKOUT_AFTER_MINUTES') * 60_000,
    },
    calendarFile: optStr(values, 'CALENDAR_FILE'),
  };
}

export function buildAppConfig(values: Values): { config: AppConfig; problems: string[] } {
  const problems = crossFieldProblems(values);
  const warnings: string[] = [];
  const trailing = optNum(values, 'TRAILING_STOP_PERCENT');
  const maxHoldingHours = optNum(values, 'MAX_HOLDING_HOURS');
  const minConfidence = num(values, 'MIN_AI_CONFIDENCE');
  const config: AppConfig = {
    paperTrading: bool(values, 'USE_PAPER_TRADING'),
    initialCapital: num(values, 'INITIAL_CAPITAL'),
    symbols: symbolsOf(values),
    universe: {
      mode: str(values, 'UNIVERSE') as 'static' | 'top_volume',
      size: num(values, 'UNIVERSE_SIZE'),
      askTop: num(values, 'UNIVERSE_ASK_TOP'),
      minQuoteVolume: num(values, 'UNIVERSE_MIN_VOLUME_USD'),
      minListingAgeDays: num(values, 'UNIVERSE_MIN_LISTING_DAYS'),
      maxAbsFundingRate: num(values, 'UNIVERSE_MAX_FUNDING_RATE'),
      exclude: (values.get('SYMBOLS_EXCLUDE') as string[] | undefined) ?? [],
    },
    closeOnShutdown: bool(values, 'CLOSE_ON_SHUTDOWN'),
    orderIdPrefix: str(values, 'ORDER_ID_PREFIX'),
    risk: {
      ...DEFAULT_RISK,
      maxLeverage: num(values, 'MAX_LEVERAGE'),
      positionSizePct: num(values, 'POSITION_SIZE_PERCENT'),
      minStopLossPct: num(values, 'MIN_STOP_LOSS_PERCENT'),
      maxStopLossPct: num(values, 'MAX_STOP_LOSS_PERCENT'),
      maxLossAtStopPct: num(values, 'MAX_LOSS_AT_STOP_PERCENT'),
      minLiquidationDistancePct: num(values, 'MIN_LIQUIDATION_DISTANCE_PERCENT'),
      dailyLossLimitPct: num(values, 'DAILY_LOSS_LIMIT_PERCENT'),
      maxConsecutiveLosses: num(values, 'MAX_CONSECUTIVE_LOSSES'),
      maxOpenPositions: num(values, 'MAX_OPEN_POSITIONS'),
    },
    consensus: { minAgreeing: 2, minConfidence, minOpportunityScore: num(values, 'MIN_OPPORTUNITY_SCORE') },
    exits: {
      ...DEFAULT_EXIT,
      minProfitUsd: num(values, 'MIN_PROFIT_USD'),
      aiExitMinConfidence: minConfidence,
      trailingStopPct: trailing,
      trailingActivationPct: num(values, 'TRAILING_ACTIVATION_PERCENT'),
      maxHoldingMs: maxHoldingHours === undefined ? undefined : maxHoldingHours * 3_600_000,
      updateIntervalMs: num(values, 'POSITION_UPDATE_MINUTES') * 60_000,
      venue: venueExits(values),
    },
    schedule: {
      scanIntervalMs: num(values, 'SCAN_INTERVAL_SECONDS') * 1000,
      positionCheckMs: num(values, 'POSITION_CHECK_SECONDS') * 1000,
    },
    costs: { takerFeeRate: optNum(values, 'TAKER_FEE_RATE') ?? BASE_TAKER_FEE[str(values, 'EXCHANGE')] ?? 0.0005, slippageBps: num(values, 'SLIPPAGE_BPS') },
    portfolio: portfolioConfig(values, problems),
    exchange: {
      id: str(values, 'EXCHANGE'),
      apiKey: optStr(values, credentialNames(values)[0]),
      secret: optStr(values, credentialNames(values)[1]),
      settle: settleOf(symbolsOf(values)[0] ?? 'BTC/USDT:USDT'),
      sandbox: bool(values, 'EXCHANGE_SANDBOX'),
      apiOrigin: optStr(values, 'EXCHANGE_API_ORIGIN'),
      wsOrigin: optStr(values, 'EXCHANGE_WS_ORIGIN'),
      marginMode: 'isolated',
      orphanPolicy: str(values, 'ORPHAN_POSITION_POLICY') as 'adopt' | 'close',
    },
    ai: aiConfig(values, warnings),
    telegram: telegramConfig(values, warnings),
    notifyScans: str(values, 'NOTIFY_SCANS') as AppConfig['notifyScans'],
    databaseUrl: optStr(values, 'DATABASE_URL'),
    redisUrl: optStr(values, 'REDIS_URL'),
    dataDir: str(values, 'DATA_DIR'),
    recordRetentionDays: num(values, 'RECORD_RETENTION_DAYS'),
    logLevel: str(values, 'LOG_LEVEL') as AppConfig['logLevel'],
    httpHost: str(values, 'HTTP_HOST'),
    httpPort: num(values, 'HTTP_PORT'),
    dashboard: {
      enabled: bool(values, 'DASHBOARD_ENABLED'),
      ownerPassword: optStr(values, 'DASHBOARD_PASSWORD'),
      readonlyPassword: optStr(values, 'DASHBOARD_READONLY_PASSWORD'),
      sessionHours: num(values, 'DASHBOARD_SESSION_HOURS'),
      reportsDir: str(values, 'REPORTS_DIR'),
      allowedHosts: (optStr(values, 'DASHBOARD_ALLOWED_HOSTS') ?? '').split(',').map((name) => name.trim()).filter((name) => name !== ''),
    },
    simulation: {
      speed: num(values, 'SIMULATION_SPEED'),
      start: optStr(values, 'SIMULATION_START') === undefined ? undefined : new Date(str(values, 'SIMULATION_START')),
    },
    gitCommit: optStr(values, 'GIT_COMMIT'),
    warnings,
    secrets: VARIABLES.filter((spec) => spec.secret)
      .map((spec) => values.get(spec.name))
      .filter((value): value is string => typeof value === 'string' && value.length > 0)
      .flatMap((value) => [value, ...passwordsIn(value)]),
    shadows: [],
  };
  return { config, problems };
}

/**
 * The password inside a connection URL, as written and decoded: an error or a page may quote it without the rest of
 * the URL (Docker Compose also keeps it apart, as POSTGRES_PASSWORD).
 */
function passwordsIn(value: string): string[] {
  const password = URL.canParse(value) ? new URL(value).password : '';
  if (password === '') return [];
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // Not valid percent-encoding: the password as written is the one to hide.
  }
  return decoded === password ? [password] : [password, decoded];
}
