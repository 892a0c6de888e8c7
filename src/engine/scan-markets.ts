// One market scan: a snapshot per symbol, every analyst asked in parallel, consensus and score per symbol, ranked.
// Symbols are handled with bounded concurrency so the scan takes about as long as the slowest few calls.
import type { MarketSnapshot, Vote } from '../domain/analysis.js';
import { quorumOf, reachConsensus, type Consensus } from '../domain/consensus.js';
import { describeError } from '../domain/errors.js';
import { meetsMinimumScore, scoreOpportunity, type OpportunityScore } from '../domain/opportunity.js';
import { MIN_SIGNALS, prefilter } from '../domain/prefilter.js';
import type { DecisionRecord } from '../ports/store.js';
import type { AnalystHealth } from './analyst-health.js';
import type { DecisionRecorder } from './decision-recorder.js';
import type { EngineContext } from './engine-context.js';
import { FLAPPING_QUIET_MS, type IncidentTracker } from './incidents.js';
import { mapWithConcurrency } from './retry.js';
import type { SnapshotService } from './snapshots.js';

export interface ScanCandidate {
  readonly snapshot: MarketSnapshot;
  readonly votes: readonly Vote[];
  readonly consensus: Consensus;
  readonly score: OpportunityScore;
}

export interface ScanResult {
  /** Every symbol that could be assessed, best score first. */
  readonly ranked: readonly ScanCandidate[];
  /** The best tradeable candidate (a side decided and the score at or above the minimum), if any. */
  readonly best?: ScanCandidate;
  readonly failedSymbols: readonly string[];
}

/** The votes a scan got for one market, and why the cascade asked fewer than the whole panel when it did. */
interface AskedPanel {
  readonly votes: Vote[];
  readonly panelSkipped?: string;
}

export class MarketScanner {
  constructor(
    private readonly ctx: EngineContext,
    private readonly snapshots: SnapshotService,
    private readonly decisions: DecisionRecorder,
    private readonly incidents: IncidentTracker,
    private readonly health: AnalystHealth,
  ) {}

  async scan(symbols: readonly string[], signal?: AbortSignal): Promise<ScanResult> {
    const { settings, logger } = this.ctx;
    const failedSymbols: string[] = [];
    const records: DecisionRecord[] = [];
    const fail = (symbol: string, error: unknown): undefined => {
      failedSymbols.push(symbol);
      logger.warn({ symbol, error: describeError(error) }, 'symbol skipped in this scan');
      return undefined;
    };
    const snapshots = await mapWithConcurrency(symbols, settings.scanConcurrency, async (symbol): Promise<MarketSnapshot | undefined> => {
      if (signal?.aborted) return undefined;
      try {
        return await this.snapshots.snapshot(symbol);
      } catch (error) {
        return fail(symbol, error);
      }
    });
    const asked = askFirst(
      snapshots.filter((snapshot): snapshot is MarketSnapshot => snapshot !== undefined),
      settings.universe?.askTop ?? Number.POSITIVE_INFINITY,
    );
    const assessed = await mapWithConcurrency(asked, settings.scanConcurrency, async (snapshot): Promise<ScanCandidate | undefined> => {
      if (signal?.aborted) return undefined;
      try {
        const { votes, panelSkipped } = await this.ask(snapshot, signal);
        records.push(...this.decisions.entryRecords(snapshot.symbol, snapshot.price, votes));
        const reached = reachConsensus(votes, settings.consensus, settings.risk.maxLeverage);
        // Too few votes is then the cascade's choice, not analysts that failed: the reason says which.
        const consensus = panelSkipped !== undefined && reached.decision === 'hold' ? { ...reached, reason: panelSkipped } : reached;
        const score = scoreOpportunity(snapshot, consensus);
        return { snapshot, votes, consensus, score };
      } catch (error) {
        return fail(snapshot.symbol, error);
      }
    });
    await this.decisions.record(records);
    const ranked = assessed.filter((candidate): candidate is ScanCandidate => candidate !== undefined).sort((a, b) => b.score.total - a.score.total);
    await this.watchHealth(symbols, ranked, failedSymbols);
    const best = ranked.find(
      (candidate) => candidate.consensus.decision !== 'hold' && meetsMinimumScore(candidate.score, settings.consensus.minOpportunityScore),
    );
    return { ranked, best, failedSymbols };
  }

  /**
   * In cascade mode a quiet market costs nothing and a screen that sees no trade stops there. If the screener fails
   * or answers invalidly, the others are asked only when they are enough to agree on a trade among themselves: with
   * one other model, its answer could never make a trade and would be paid for nothing.
   */
  private async ask(snapshot: MarketSnapshot, signal?: AbortSignal): Promise<AskedPanel> {
    const { analysts, settings } = this.ctx;
    const all = async () => ({ votes: await Promise.all(analysts.map((analyst) => analyst.assess(snapshot, signal))) });
    if (settings.aiMode !== 'cascade') return all();
    const signals = prefilter(snapshot);
    if (!signals.worthAsking) {
      return { votes: [], panelSkipped: `quiet: ${signals.reasons.length} of ${MIN_SIGNALS} technical signals; no analyst was asked` };
    }
    const screener = analysts.find((analyst) => analyst.name === settings.screener);
    if (!screener) return all();
    const screen = await screener.assess(snapshot, signal);
    if (screen.outcome === 'valid' && screen.action === 'hold') {
      return { votes: [screen], panelSkipped: `screener ${screen.analyst} said HOLD; the others were not asked` };
    }
    const others = analysts.filter((analyst) => analyst !== screener);
    const quorum = quorumOf(settings.consensus);
    if (screen.outcome !== 'valid' && others.length < quorum) {
      const why = screen.reason === undefined ? '' : ` (${screen.reason})`;
      return {
        votes: [screen],
        panelSkipped: `screener ${screen.analyst} gave no valid answer${why}; ${others.length} other analyst(s) cannot make the ${quorum} that must agree, so none was asked`,
      };
    }
    return { votes: [screen, ...(await Promise.all(others.map((analyst) => analyst.assess(snapshot, signal))))] };
  }

  /** One alert per outage: market data for every symbol, or an analyst with no usable answer on any symbol it was asked. */
  private async watchHealth(symbols: readonly string[], ranked: readonly ScanCandidate[], failedSymbols: readonly string[]): Promise<void> {
    if (symbols.length > 0 && failedSymbols.length === symbols.length) {
      await this.incidents.raise('market-data', 'warning', `Market data unavailable for every symbol (${failedSymbols.length}); no trades until it returns.`, { quietMs: FLAPPING_QUIET_MS });
    } else if (ranked.length > 0) {
      await this.incidents.clear('market-data', 'Market data is flowing again.');
    }
    if (ranked.length === 0) return;
    for (const analyst of this.ctx.analysts) {
      const votes = ranked.map((candidate) => candidate.votes.find((vote) => vote.analyst === analyst.name)).filter((vote) => vote !== undefined);
      await this.health.heard(analyst.name, votes);
    }
    await this.health.watchQuorum();
  }
}

/**
 * Scan wide, ask narrow: of many markets, the `askTop` with the most technical signals at once (the pre-filter's
 * count) go to the analysts; equal counts keep the scan's order, which is the universe's volume rank.
 */
export function askFirst(snapshots: readonly MarketSnapshot[], askTop: number): MarketSnapshot[] {
  if (snapshots.length <= askTop) return [...snapshots];
  return snapshots
    .map((snapshot, order) => ({ snapshot, order, signals: prefilter(snapshot).reasons.length }))
    .sort((a, b) => b.signals - a.signals || a.order - b.order)
    .slice(0, askTop)
    .map((entry) => entry.snapshot);
}
