// Turns the typed configuration into what the engine needs, and into the owner's view of it (/config).
import type { AppConfig } from '../config/app-config.js';
import type { CalendarEvent } from '../domain/calendar.js';
import type { Mode } from '../domain/events.js';
import { ENGINE_DEFAULTS, type EngineSettings } from '../engine/engine-context.js';
import type { UniverseSettings } from '../engine/universe.js';

export interface PanelShape {
  /** Whether the entry analysts are AI models (the cascade only pays off for paid calls). */
  readonly ai: boolean;
  readonly screener?: string;
}

export function engineSettings(
  config: AppConfig,
  mode: Mode,
  symbols: readonly string[] = config.symbols,
  panel: PanelShape = { ai: false },
  calendar: readonly CalendarEvent[] = [],
): EngineSettings {
  return {
    mode,
    symbols,
    risk: config.risk,
    consensus: config.consensus,
    exits: config.exits,
    schedule: config.schedule,
    costs: config.costs,
    orderIdPrefix: config.orderIdPrefix,
    closeOnShutdown: config.closeOnShutdown,
    notifyScans: config.notifyScans,
    capitalCap: mode === 'live' ? config.initialCapital : undefined,
    aiMode: panel.ai ? config.ai.mode : 'full',
    screener: panel.screener,
    aiMonthlyBudgetUsd: config.ai.monthlyBudgetUsd,
    sizing: config.portfolio.sizing,
    portfolio: config.portfolio.limits,
    drawdown: config.portfolio.drawdown,
    blackout: config.portfolio.blackout,
    calendar,
    ...ENGINE_DEFAULTS,
    ...(config.universe.mode === 'top_volume' ? { universe: topVolumeUniverse(config) } : {}),
  };
}

function topVolumeUniverse({ universe, exchange }: AppConfig): UniverseSettings {
  const { size, minQuoteVolume, minListingAgeDays, maxAbsFundingRate, exclude, askTop } = universe;
  return { mode: 'top_volume', rules: { size, minQuoteVolume, minListingAgeDays, maxAbsFundingRate, exclude, settle: exchange.settle }, askTop };
}

const pct = (fraction: number): string => `${+(fraction * 100).toFixed(2)}%`;

/** What /config shows: effective settings in words, never a secret, a URL with credentials or a key. */
export function settingsView(config: AppConfig, mode: Mode, analysts: readonly string[]): Record<string, string> {
  return {
    mode: mode.toUpperCase(),
    symbols:
      config.universe.mode === 'top_volume'
        ? `top ${config.universe.size} by 24h volume, ${config.universe.askTop} asked per scan (until the first pick: ${config.symbols.join(', ')})`
        : config.symbols.join(', '),
    analysts: analysts.join(', '),
    'max leverage': `${config.risk.maxLeverage}x`,
    'position size': `${pct(config.risk.positionSizePct)} of available capital`,
    'stop-loss range': `${pct(config.risk.minStopLossPct)} to ${pct(config.risk.maxStopLossPct)}`,
    'loss at stop': `at most ${pct(config.risk.maxLossAtStopPct)} of capital`,
    'daily loss limit': pct(config.risk.dailyLossLimitPct),
    'losing streak pause': `${config.risk.maxConsecutiveLosses} in a row`,
    'open positions': String(config.risk.maxOpenPositions),
    'position sizing':
      config.portfolio.sizing.mode === 'fixed'
        ? 'fixed'
        : config.portfolio.sizing.mode === 'atr_risk'
          ? `atr_risk, ${pct(config.portfolio.sizing.riskPerTradePct)} of capital at the stop`
          : `kelly x ${config.portfolio.sizing.kellyFraction} (after ${config.portfolio.sizing.kellyMinScoredVotes} scored votes)`,
    'exposure caps': `${config.portfolio.limits.maxAssetExposure}x capital per asset, ${config.portfolio.limits.maxTotalExposure}x in total`,
    'max drawdown': `${pct(config.portfolio.drawdown.maxDrawdownPct)} from the equity peak${config.portfolio.drawdown.closeAll ? ', then close all' : ''}`,
    'calendar blackout': `${config.portfolio.blackout.beforeMs / 60_000} min before to ${config.portfolio.blackout.afterMs / 60_000} min after (${config.portfolio.calendarFile ?? 'bundled calendar'})`,
    'min AI confidence': pct(config.consensus.minConfidence),
    'min opportunity score': String(config.consensus.minOpportunityScore),
    'min profit': `$${config.exits.minProfitUsd.toFixed(2)}`,
    'trailing stop': config.exits.trailingStopPct === undefined ? 'off' : pct(config.exits.trailingStopPct),
    'time exit': config.exits.maxHoldingMs === undefined ? 'off' : `${config.exits.maxHoldingMs / 3_600_000} h`,
    'scan interval': `${config.schedule.scanIntervalMs / 1000} s`,
    'position check': `${config.schedule.positionCheckMs / 1000} s`,
    'position updates': config.exits.updateIntervalMs === 0 ? 'off' : `every ${config.exits.updateIntervalMs / 60_000} min`,
    'taker fee': pct(config.costs.takerFeeRate),
    slippage: `${config.costs.slippageBps} bps`,
    'AI mode': config.ai.mode,
    exchange: config.exchange.id + (config.exchange.sandbox ? ' (sandbox)' : ''),
    storage: config.databaseUrl ? 'Postgres' : 'embedded PGlite',
    cache: config.redisUrl ? 'Redis' : 'in-process',
    telegram: config.telegram ? 'on' : 'off (console)',
  };
}
