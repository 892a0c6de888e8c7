// One trial of a parameter sweep: the unmodified engine replayed over one window with one setting of the grid.
// The same function runs in-process (no Redis) and inside a queue worker on any machine.
import { z } from 'zod';
import { loadHistory, type ReplayHistory } from '../adapters/market-data/replay/index.js';
import { folderFingerprint } from './folder-fingerprint.js';
import { InMemoryStore } from '../adapters/store/memory/in-memory-store.js';
import type { CalendarEvent } from '../domain/calendar.js';
import type { Store } from '../ports/store.js';
import type { Logger } from '../ports/logger.js';
import { loadConfig } from '../config/load-config.js';
import { dailyInstants, sampleEquity } from '../domain/performance/equity-curve.js';
import { alteredAfter } from './lookahead-alter.js';
import { runReplay } from './replay-runner.js';

export const trialSpecSchema = z.object({
  sweepId: z.string().min(1),
  trialId: z.string().min(1),
  historyDir: z.string().min(1),
  /** `folderFingerprint` of the history folder the sweep was planned on: a worker whose folder differs refuses the trial. */
  historyFingerprint: z.string().min(1).optional(),
  /** `sweepDatabaseId` of the database the sweep reads its results from: a worker recording into another refuses the trial. */
  resultsDatabase: z.string().min(1).optional(),
  /** `codeFingerprint` of the code that planned the sweep: a worker running other code refuses the trial. */
  code: z.string().min(1).optional(),
  symbols: z.array(z.string()).optional(),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  /** The sweeping machine's replay variables (`replayVariables`): the trial reads these, not its worker's environment. */
  variables: z.record(z.string(), z.string()),
  /** The sweeping machine's economic calendar, as events: a worker reads no calendar file of its own. */
  calendar: z.array(z.object({ time: z.iso.datetime(), kind: z.string(), title: z.string() })),
  setting: z.record(z.string(), z.string()),
});
export type TrialSpec = z.infer<typeof trialSpecSchema>;

export const trialResultSchema = z.object({
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  trades: z.number().int(),
  netPnl: z.number(),
  dailyEquity: z.array(z.number()),
  candleSteps: z.number().int(),
});
export type TrialResult = z.infer<typeof trialResultSchema>;

/** A calendar as a trial's job carries it (JSON: times as ISO text). */
export const calendarForTrial = (events: readonly CalendarEvent[]): TrialSpec['calendar'] =>
  events.map((event) => ({ time: event.time.toISOString(), kind: event.kind, title: event.title }));

/**
 * The history of one data folder, loaded once per process and shared by its trials (it is never modified). Kept per
 * fingerprint: a worker that lives on while the folder is updated loads the new files for a sweep planned on them,
 * and refuses a trial planned on files its folder no longer (or never) held.
 */
export class HistoryCache {
  private readonly loaded = new Map<string, Promise<ReplayHistory>>();

  get(dir: string, symbols: readonly string[] | undefined, fingerprint?: string): Promise<ReplayHistory> {
    const key = `${dir}|${symbols?.join(',') ?? '*'}|${fingerprint ?? ''}`;
    let history = this.loaded.get(key);
    if (!history) {
      history = this.load(dir, symbols, fingerprint);
      this.loaded.set(key, history);
      // A refused or unreadable folder is looked at again by the next trial, not remembered as refused.
      history.catch(() => this.loaded.delete(key));
    }
    return history;
  }

  private async load(dir: string, symbols: readonly string[] | undefined, fingerprint: string | undefined): Promise<ReplayHistory> {
    if (fingerprint !== undefined) {
      const here = await folderFingerprint(dir);
      if (here !== fingerprint) throw new Error(`the history folder ${dir} on this worker holds other files than the sweep was planned on (${here}, not ${fingerprint})`);
    }
    return loadHistory(dir, { symbols });
  }
}

/**
 * Each trial records into a store of its own, in memory, as `npm run backtest` does: trials share nothing, so any
 * worker may run any of them. An embedded PGlite per trial gave the same results (test/integration/sweeps/
 * trial-store.test.ts) at about ten times the CPU and over a gigabyte resident per trial child.
 */
export const inMemoryTrialStore = async (): Promise<Store> => new InMemoryStore();

/** A trial's result is its trades and daily equity: the events the replay announces are not kept. */
const KEEP_NO_EVENT = (): boolean => false;

export async function runTrial(
  spec: TrialSpec,
  histories: HistoryCache,
  logger: Logger,
  openTrialStore: () => Promise<Store> = inMemoryTrialStore,
): Promise<TrialResult> {
  // The worker's own environment and `.env` stay out: the same trial gives the same result on any machine.
  const config = loadConfig({ env: spec.variables, overrides: spec.setting });
  const from = new Date(spec.from);
  const to = new Date(spec.to);
  // The replay gets only the data up to its window's end: nothing later exists for it, not even unread.
  const history = alteredAfter(await histories.get(spec.historyDir, spec.symbols, spec.historyFingerprint), to.getTime(), 'remove', 1);
  const store = await openTrialStore();
  try {
    const calendar = spec.calendar.map((event) => ({ time: new Date(event.time), kind: event.kind, title: event.title }));
    const result = await runReplay({ history, config, store, logger, from, to, calendar, keepEvent: KEEP_NO_EVENT });
    const netPnl = result.trades.reduce((total, trade) => total + trade.netPnl, 0);
    return {
      start: result.start.toISOString(),
      end: result.end.toISOString(),
      trades: result.trades.length,
      netPnl,
      // At the mark, as the backtest's comparison reads it: a position still open at the window's end counts, where
      // closed trades alone would drop it (the history ends there, so it never closes).
      dailyEquity: sampleEquity(result.equity, dailyInstants(result.start, result.end)),
      candleSteps: result.candleSteps,
    };
  } finally {
    await store.close();
  }
}
