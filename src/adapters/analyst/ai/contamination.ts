// Which AI answers of a backtest are about a period the model may have been trained on. Results over such a period
// can be flattered by memory (the model may recall what happened next), so a report splits each model's answers and
// trades at its training cutoff and warns when the whole window lies before it.
//
// An answer or a trade counts as "after the cutoff" only when it was decided at or after the first instant the model
// cannot have seen; a trade opened before the cutoff and closed after it counts as before, since the model may have
// seen the first part of what happened next.
import type { Trade } from '../../../domain/trading.js';
import type { DecisionRecord } from '../../../ports/store.js';
import type { CutoffLookup, ModelCutoff } from './model-cutoffs.js';
import { cutoffOf, seenUntilInstant } from './model-cutoffs.js';

export interface TradeWindow {
  readonly trades: number;
  readonly wins: number;
  /** Undefined without trades. */
  readonly winRate?: number;
  readonly netPnl: number;
}

export interface ModelContamination {
  readonly model: string;
  /** The analysts (panel names) this model answered for. */
  readonly analysts: readonly string[];
  /** Null when the model is not in the cutoff table: nobody knows what it saw. */
  readonly cutoff: (ModelCutoff & { readonly model: string }) | null;
  /**
   * Answers given, entry and exit opinions alike: failed calls are not answers, and an opinion served again from the
   * per-candle cache is the same answer. The split is null for an unknown cutoff.
   */
  readonly answers: { readonly total: number; readonly beforeCutoff: number | null; readonly afterCutoff: number | null };
  /** Trades this model voted for. */
  readonly trades: { readonly all: TradeWindow; readonly beforeCutoff: TradeWindow | null; readonly afterCutoff: TradeWindow | null };
  /** The whole backtest window lies before the cutoff: every answer may lean on memory. */
  readonly wholeWindowBeforeCutoff: boolean;
}

export interface ContaminationReport {
  /** `blind`: the prompts named no market and no date (`--blind`), which memory has little to hold on to. */
  readonly prompts: 'plain' | 'blind';
  readonly models: readonly ModelContamination[];
  /** Said first, in the console and in the JSON report. */
  readonly warnings: readonly string[];
}

export interface ContaminationInput {
  /** The backtest's recorded decisions; only those of `aiAnalysts` are read. */
  readonly decisions: readonly DecisionRecord[];
  readonly trades: readonly Trade[];
  readonly aiAnalysts: readonly string[];
  /** End of the backtest window. */
  readonly end: Date;
  readonly blind?: boolean;
  /** The cutoff table's lookup (tests pass their own). */
  readonly lookup?: (model: string) => CutoffLookup;
}

const round = (value: number): number => Number(value.toFixed(8));

function tradeWindow(trades: readonly Trade[]): TradeWindow {
  const wins = trades.filter((trade) => trade.netPnl > 0).length;
  const netPnl = round(trades.reduce((total, trade) => total + trade.netPnl, 0));
  return { trades: trades.length, wins, ...(trades.length > 0 ? { winRate: wins / trades.length } : {}), netPnl };
}

/** The model behind each agreeing AI vote of a trade: the analyst's latest recorded entry answer at or before the entry. */
function modelsOfTrade(trade: Trade, entriesByAnalyst: ReadonlyMap<string, readonly DecisionRecord[]>): string[] {
  const models = new Set<string>();
  for (const analyst of trade.rationale.agreeing) {
    const entries = entriesByAnalyst.get(analyst);
    if (!entries) continue;
    let latest: DecisionRecord | undefined;
    for (const record of entries) {
      if (record.time.getTime() > trade.openedAt.getTime()) break;
      // One scan asks about every market at the same instant: only this market's answer voted for this trade.
      if (record.symbol === trade.symbol) latest = record;
    }
    if (latest) models.add(latest.usage.model);
  }
  return [...models];
}

export const warningFor = (model: string): string =>
  `every answer of ${model} is about a period it may have seen in training; these results may be inflated`;

export const unknownCutoffWarning = (model: string): string =>
  `the training cutoff of ${model} is unknown: its answers may be about a period it has seen, so these results may be inflated`;

export function contaminationReport(input: ContaminationInput): ContaminationReport {
  const lookup = input.lookup ?? ((model: string) => cutoffOf(model));
  const ai = new Set(input.aiAnalysts);
  const answers = input.decisions.filter((record) => ai.has(record.analyst) && record.outcome !== 'failed' && !record.usage.cached);
  const entriesByAnalyst = new Map<string, DecisionRecord[]>();
  const listIn = <T>(map: Map<string, T[]>, key: string): T[] => {
    const list = map.get(key) ?? [];
    map.set(key, list);
    return list;
  };
  for (const record of [...answers].sort((a, b) => a.time.getTime() - b.time.getTime())) {
    if (record.purpose === 'entry') listIn(entriesByAnalyst, record.analyst).push(record);
  }
  const tradesByModel = new Map<string, Trade[]>();
  for (const trade of input.trades) {
    for (const model of modelsOfTrade(trade, entriesByAnalyst)) listIn(tradesByModel, model).push(trade);
  }
  const models = [...new Set(answers.map((record) => record.usage.model))].sort();
  const report = models.map((model): ModelContamination => {
    const own = answers.filter((record) => record.usage.model === model);
    const trades = tradesByModel.get(model) ?? [];
    const analysts = [...new Set(own.map((record) => record.analyst))].sort();
    const found = lookup(model);
    if (!found.known) {
      return {
        model,
        analysts,
        cutoff: null,
        answers: { total: own.length, beforeCutoff: null, afterCutoff: null },
        trades: { all: tradeWindow(trades), beforeCutoff: null, afterCutoff: null },
        wholeWindowBeforeCutoff: false,
      };
    }
    const seenUntil = seenUntilInstant(found.cutoff).getTime();
    const before = (time: Date): boolean => time.getTime() < seenUntil;
    const answersBefore = own.filter((record) => before(record.time)).length;
    const tradesBefore = trades.filter((trade) => before(trade.openedAt));
    return {
      model,
      analysts,
      cutoff: { model: found.model, ...found.cutoff },
      answers: { total: own.length, beforeCutoff: answersBefore, afterCutoff: own.length - answersBefore },
      trades: {
        all: tradeWindow(trades),
        beforeCutoff: tradeWindow(tradesBefore),
        afterCutoff: tradeWindow(trades.filter((trade) => !before(trade.openedAt))),
      },
      wholeWindowBeforeCutoff: input.end.getTime() <= seenUntil,
    };
  });
  const warnings = report.flatMap((entry) => {
    if (entry.cutoff === null) return [unknownCutoffWarning(entry.model)];
    return entry.wholeWindowBeforeCutoff ? [warningFor(entry.model)] : [];
  });
  return { prompts: input.blind ? 'blind' : 'plain', models: report, warnings };
}
