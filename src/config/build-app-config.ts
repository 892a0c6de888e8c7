// Assembles the typed config from validated values and checks the rules that involve several variables.
import { CONSERVATIVE_MAINTENANCE_MARGIN_RATE } from '../domain/maintenance-margin.js';
import { DEFAULT_EXIT, DEFAULT_RISK } from '../domain/settings.js';
import type { AiConfig, AppConfig, ProviderConfig } from './app-config.js';
import { LIVE_TRADING_SENTENCE, VARIABLES } from './variables.js';

type Values = ReadonlyMap<string, unknown>;

const num = (values: Values, name: string): number => values.get(name) as number;
const optNum = (values: Values, name: string): number | undefined => values.get(name) as number | undefined;
const bool = (values: Values, name: string): boolean => values.get(name) === true;
const str = (values: Values, name: string): string => values.get(name) as string;
const optStr = (values: Values, name: string): string | undefined => values.get(name) as string | undefined;

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

function crossFieldProblems(values: Values): string[] {
  const problems: string[] = [];
  // First, since it is the one a newcomer to live trading meets first.
  const consent = bool(values, 'USE_PAPER_TRADING') ? undefined : liveTradingConsent(values);
  if (consent) problems.push(consent);
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
    for (const name of ['BINANCE_API_KEY', 'BINANCE_SECRET_KEY']) {
      if (!values.get(name)) problems.push(`${name}: required when USE_PAPER_TRADING=false.`);
    }
  }
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
  return problems;
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
    symbols: values.get('SYMBOLS') as string[],
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
      maxHoldingMs: maxHoldingHours === undefined ? undefined : maxHoldingHours * 3_600_000,
      updateIntervalMs: num(values, 'POSITION_UPDATE_MINUTES') * 60_000,
    },
    schedule: {
      scanIntervalMs: num(values, 'SCAN_INTERVAL_SECONDS') * 1000,
      positionCheckMs: num(values, 'POSITION_CHECK_SECONDS') * 1000,
    },
    costs: { takerFeeRate: num(values, 'TAKER_FEE_RATE'), slippageBps: num(values, 'SLIPPAGE_BPS') },
    exchange: {
      id: str(values, 'EXCHANGE'),
      apiKey: optStr(values, 'BINANCE_API_KEY'),
      secret: optStr(values, 'BINANCE_SECRET_KEY'),
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
    logLevel: str(values, 'LOG_LEVEL') as AppConfig['logLevel'],
    httpHost: str(values, 'HTTP_HOST'),
    httpPort: num(values, 'HTTP_PORT'),
    dashboard: {
      enabled: bool(values, 'DASHBOARD_ENABLED'),
      ownerPassword: optStr(values, 'DASHBOARD_PASSWORD'),
      readonlyPassword: optStr(values, 'DASHBOARD_READONLY_PASSWORD'),
      sessionHours: num(values, 'DASHBOARD_SESSION_HOURS'),
    },
    simulation: {
      speed: num(values, 'SIMULATION_SPEED'),
      start: optStr(values, 'SIMULATION_START') === undefined ? undefined : new Date(str(values, 'SIMULATION_START')),
    },
    gitCommit: optStr(values, 'GIT_COMMIT'),
    warnings,
    secrets: VARIABLES.filter((spec) => spec.secret)
      .map((spec) => values.get(spec.name))
      .filter((value): value is string => typeof value === 'string' && value.length > 0),
    shadows: [],
  };
  return { config, problems };
}
