// Retention (RECORD_RETENTION_DAYS): once a UTC day the records that grow with every scan and event and are not the
// account's own books go once older than the retention: analysts' answers, log entries, the risk manager's refusals,
// breaker events and delivered messages. So a daemon that runs for years does not fill its disk. The store keeps,
// whatever their age, the votes a trade's page shows and the ones still to be scored, and carries the track records
// over (DecisionRepository); messages not delivered yet and start-up messages stay (OutboxRepository).
import { DAY_MS, startOfUtcMonth, startOfUtcWeek, utcDay } from '../domain/time.js';
import type { EngineContext } from './engine-context.js';
import { MAX_MISSED_WEEKS } from './summaries.js';

/** Rows deleted per statement: short statements, so the loop's other steps are not held up behind one. */
export const RETENTION_BATCH_ROWS = 2_000;
/**
 * Statements per table in one pass. A first prune of a long history takes several passes, one per tick of the loop
 * until it is done, rather than one long pause.
 */
export const RETENTION_BATCHES_PER_PASS = 5;

/**
 * The instant before which records go: `days` back, but never later than what the engine still reads about the past,
 * the AI spend of this month and the last (monthly budget, /status) and the weeks a late summary covers.
 */
export function retentionCutoff(now: Date, days: number): Date {
  const monthStart = startOfUtcMonth(now);
  const previousMonth = startOfUtcMonth(new Date(monthStart.getTime() - 1)).getTime();
  // A late weekly summary reads its week's AI spend: the most missed weeks one catches up on, and the week just ended.
  const summaryWeeks = startOfUtcWeek(now).getTime() - (MAX_MISSED_WEEKS + 1) * 7 * DAY_MS;
  return new Date(Math.min(now.getTime() - days * DAY_MS, previousMonth, summaryWeeks));
}

export interface PruneCounts {
  readonly decisions: number;
  readonly logs: number;
  readonly rejections: number;
  readonly breakerEvents: number;
  readonly messages: number;
}

export class RecordRetention {
  /** The UTC day whose prune has finished. */
  private prunedDay: string | undefined;

  constructor(
    private readonly ctx: Pick<EngineContext, 'clock' | 'store' | 'logger'>,
    /** 0 keeps everything. */
    private readonly days: number,
  ) {}

  /** Whether a pass is due: the day's prune has not finished yet. */
  due(): boolean {
    return this.days > 0 && this.prunedDay !== utcDay(this.ctx.clock.now());
  }

  /** One bounded pass; the day counts as done once no table had anything more to delete. */
  async prune(): Promise<PruneCounts> {
    const { clock, store, logger } = this.ctx;
    const now = clock.now();
    const cutoff = retentionCutoff(now, this.days);
    const tables: Record<keyof PruneCounts, (limit: number) => Promise<number>> = {
      decisions: (limit) => store.decisions.pruneBefore(cutoff, limit),
      logs: (limit) => store.logs.pruneBefore(cutoff, limit),
      rejections: (limit) => store.rejections.pruneBefore(cutoff, limit),
      breakerEvents: (limit) => store.breakers.pruneBefore(cutoff, limit),
      messages: (limit) => store.outbox.pruneBefore(cutoff, limit),
    };
    const counts: Record<keyof PruneCounts, number> = { decisions: 0, logs: 0, rejections: 0, breakerEvents: 0, messages: 0 };
    let done = true;
    for (const table of Object.keys(tables) as (keyof PruneCounts)[]) {
      const pass = await pruneInBatches(tables[table]);
      counts[table] = pass.count;
      done &&= pass.done;
    }
    if (done) this.prunedDay = utcDay(now);
    if (Object.values(counts).some((count) => count > 0)) {
      logger.info({ ...counts, before: cutoff.toISOString(), more: !done }, 'records older than the retention deleted');
    }
    return counts;
  }
}

async function pruneInBatches(prune: (limit: number) => Promise<number>): Promise<{ count: number; done: boolean }> {
  let count = 0;
  for (let batch = 0; batch < RETENTION_BATCHES_PER_PASS; batch++) {
    const deleted = await prune(RETENTION_BATCH_ROWS);
    count += deleted;
    if (deleted < RETENTION_BATCH_ROWS) return { count, done: true };
  }
  return { count, done: false };
}
