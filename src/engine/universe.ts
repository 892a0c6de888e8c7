// The markets the scanner looks at. Static: the configured SYMBOLS. Top volume: picked from the venue's listing once
// a day; when the listing cannot be read, the last good selection stays (or SYMBOLS, before the first one) and the
// owner is told once.
import { describeError } from '../domain/errors.js';
import { DAY_MS, HOUR_MS } from '../domain/time.js';
import { selectUniverse, type UniverseRules, type UniverseSelection, type UniverseVerdict } from '../domain/universe.js';
import type { UniverseView } from '../ports/control.js';
import type { EngineContext } from './engine-context.js';
import { FLAPPING_QUIET_MS, type IncidentTracker } from './incidents.js';

export interface UniverseSettings {
  readonly mode: 'static' | 'top_volume';
  readonly rules: UniverseRules;
  /** Scan wide, ask narrow: only this many of the scanned markets, the most eventful first, go to the analysts. */
  readonly askTop: number;
}

export const STATIC_UNIVERSE: UniverseSettings = {
  mode: 'static',
  rules: { size: 15, minQuoteVolume: 0, minListingAgeDays: 0, maxAbsFundingRate: 1, exclude: [] },
  askTop: Number.POSITIVE_INFINITY,
};

const INCIDENT = 'universe';

export class MarketUniverse {
  private current?: { readonly at: number; readonly symbols: readonly string[]; readonly verdicts: readonly UniverseVerdict[] };
  private nextTryAt = 0;
  private problem?: string;
  /** The verdicts of a pick that chose nothing, so /universe can say why while the fallback is scanned. */
  private refused: readonly UniverseVerdict[] = [];

  constructor(
    private readonly ctx: EngineContext,
    private readonly settings: UniverseSettings,
    private readonly incidents: IncidentTracker,
  ) {}

  /** The symbols to scan now; picks again when the selection is a day old. */
  async symbols(): Promise<readonly string[]> {
    if (this.settings.mode === 'static') return this.ctx.settings.symbols;
    const now = this.ctx.clock.now().getTime();
    if (now >= this.nextTryAt) await this.pick(now);
    return this.current?.symbols ?? this.ctx.settings.symbols;
  }

  view(): UniverseView {
    const { mode } = this.settings;
    if (mode === 'static' || this.current === undefined) {
      return { mode, symbols: this.ctx.settings.symbols, verdicts: mode === 'static' ? [] : this.refused, ...(this.problem === undefined ? {} : { problem: this.problem }) };
    }
    return {
      mode,
      symbols: this.current.symbols,
      selectedAt: new Date(this.current.at),
      verdicts: this.current.verdicts,
      ...(this.problem === undefined ? {} : { problem: this.problem }),
    };
  }

  private async pick(now: number): Promise<void> {
    const { marketData, logger } = this.ctx;
    let selection: UniverseSelection;
    try {
      if (marketData.listings === undefined) throw new Error('this market data source cannot list its markets');
      selection = selectUniverse(await marketData.listings(), this.settings.rules, new Date(now));
    } catch (error) {
      await this.notPicked(now, `the venue's market list could not be read: ${describeError(error)}`, describeError(error));
      return;
    }
    if (selection.symbols.length === 0) {
      this.refused = selection.verdicts;
      await this.notPicked(now, 'no market passed the filters; the reasons are below', 'no market passed the filters (see /universe)');
      return;
    }
    this.current = { at: now, symbols: selection.symbols, verdicts: selection.verdicts };
    this.refused = [];
    this.nextTryAt = now + DAY_MS;
    this.problem = selection.note;
    logger.info({ symbols: selection.symbols, markets: selection.verdicts.length, ...(selection.note === undefined ? {} : { note: selection.note }) }, 'universe picked');
    await this.incidents.clear(INCIDENT, `The market list is readable again: scanning ${selection.symbols.length} markets.`);
  }

  /** Keeping the last list is safer than scanning nothing; an hour later the venue is asked again. */
  private async notPicked(now: number, problem: string, told: string): Promise<void> {
    this.nextTryAt = now + HOUR_MS;
    this.problem = problem;
    const fallback = this.current === undefined ? 'the configured SYMBOLS' : 'the last selection';
    this.ctx.logger.warn({ problem }, `universe not picked; scanning ${fallback}`);
    await this.incidents.raise(INCIDENT, 'warning', `Could not pick today's markets (${told}); scanning ${fallback} until it works.`, {
      quietMs: FLAPPING_QUIET_MS,
    });
  }
}
