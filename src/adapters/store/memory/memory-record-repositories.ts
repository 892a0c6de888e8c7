// The record-keeping repositories in memory: decisions, breakers, rejections, state, daily performance, logs, the
// notification outbox and the paper account.
import { untilNotDue } from '../repositories/outbox.js';
import { tradeResult, type Trade } from '../../../domain/trading.js';
import {
  OUTBOX_KEPT_EVENT,
  TRADE_VOTES_KEPT,
  type BreakerEvent,
  type BreakerEventRepository,
  type DailyPerformance,
  type DailyPerformanceRepository,
  type DecisionRecord,
  type DecisionRepository,
  type LogEntry,
  type LogLevel,
  type LogRepository,
  type OutboxMessage,
  type OutboxRepository,
  type PaperAccountRepository,
  type PaperHistoryEntry,
  type SavedPaperAccount,
  type RiskRejection,
  type RiskRejectionRepository,
  type ScorableDecision,
  type TradingStateRepository,
} from '../../../ports/store.js';
import type { ModelRecord } from '../../../ports/control.js';
import {
  decimal,
  numericSum,
  toUnits,
  normalized,
  byText,
  byId,
  byTime,
  inRange,
  checkDay,
  type Access,
  type ModelCarry,
  type Tables,
  requirePosition,
} from './memory-tables.js';

export class MemoryDecisions implements DecisionRepository {
  constructor(private readonly db: Access) {}

  async recordMany(records: readonly DecisionRecord[]): Promise<void> {
    await this.db.ready();
    const tables = this.db.tables();
    for (const record of records) {
      if (record.positionId !== undefined) requirePosition(tables, record.positionId, 'a decision');
    }
    for (const record of records) {
      const last = tables.decisions[tables.decisions.length - 1];
      if (last !== undefined && record.time < last.time) tables.decisionsInTimeOrder = false;
      tables.decisions.push(normalized({ ...record, usage: normalized(record.usage) }));
      tables.decisionIds.push(tables.nextDecisionId++);
    }
  }

  async costBetween(from: Date, to: Date): Promise<number> {
    await this.db.ready();
    const { decisions, decisionsInTimeOrder } = this.db.tables();
    // A long backtest asks for today's cost at every scan: in time order, only today's rows are read.
    const first = decisionsInTimeOrder ? firstAtOrAfter(decisions, from) : 0;
    let total = 0;
    for (let index = first; index < decisions.length; index += 1) {
      const record = decisions[index] as DecisionRecord;
      if (decisionsInTimeOrder && record.time >= to) break;
      if (inRange(record.time, { from, to })) total += record.usage.costUsd;
    }
    return decimal(total);
  }

  async costTakenOverFrom(shadow: string, from: Date, to: Date): Promise<number> {
    await this.db.ready();
    let total = 0;
    for (const record of this.db.tables().decisions) {
      if (record.usage.takenOverFrom === shadow && inRange(record.time, { from, to })) total += record.usage.costUsd;
    }
    return decimal(total);
  }

  async unscored(before: Date, limit: number): Promise<ScorableDecision[]> {
    await this.db.ready();
    const tables = this.db.tables();
    const { decisions, scores } = tables;
    const pending: ScorableDecision[] = [];
    // Decisions before the cursor are scored or never scorable; it moves past every such one at its front.
    let settled = true;
    for (let index = tables.firstUnscored; index < decisions.length; index += 1) {
      const record = decisions[index] as DecisionRecord;
      const id = String(tables.decisionIds[index]);
      const { side, stopLossPct, takeProfitPct } = record;
      const scorable = isScorable(record);
      if (settled && (!scorable || scores.has(id))) tables.firstUnscored = index + 1;
      else settled = false;
      if (!scorable || side === undefined || stopLossPct === undefined || takeProfitPct === undefined || scores.has(id) || record.time >= before) continue;
      pending.push({ id, time: record.time, symbol: record.symbol, analyst: record.analyst, side, price: record.price, confidence: record.confidence, stopLossPct, takeProfitPct });
    }
    return pending.sort((a, b) => byTime(a.time, b.time)).slice(0, Math.max(0, Math.floor(limit)));
  }

  async recordScores(scores: readonly { readonly id: string; readonly hit: boolean | null }[], at: Date): Promise<void> {
    await this.db.ready();
    const tables = this.db.tables();
    for (const { id, hit } of scores) if (indexOfDecision(tables, id) !== undefined) tables.scores.set(id, { hit, at });
  }

  async trackRecords(): Promise<ModelRecord[]> {
    await this.db.ready();
    const tables = this.db.tables();
    // What retention carried over, then the stored votes added on top.
    const byAnalyst = new Map<string, ModelCarry>(tables.modelCarry);
    tables.decisions.forEach((record, index) => {
      if (record.purpose === 'entry') addToCarry(byAnalyst, record, tables.scores.get(String(tables.decisionIds[index]))?.hit);
    });
    const mean = (sum: bigint, count: number) => (count > 0 ? numericMean(sum, count) : undefined);
    return [...byAnalyst.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([analyst, row]) => {
        const record: ModelRecord = { analyst, votes: row.votes, scored: row.scored, hits: row.hits };
        // As the SQL store returns them: the hit rate divided in JavaScript, the means as NUMERIC sums over counts.
        return withoutUndefined({
          ...record,
          hitRate: row.scored > 0 ? row.hits / row.scored : undefined,
          avgConfidenceWhenRight: mean(row.rightConfidence, row.hits),
          avgConfidenceWhenWrong: mean(row.wrongConfidence, row.scored - row.hits),
        });
      });
  }

  async pruneBefore(before: Date, limit: number): Promise<number> {
    await this.db.ready();
    const tables = this.db.tables();
    const openings = openingsBySymbol(tables);
    const candidates: number[] = [];
    tables.decisions.forEach((record, index) => {
      if (record.time >= before) return;
      if (isScorable(record) && !tables.scores.has(String(tables.decisionIds[index]))) return;
      if (record.purpose === 'entry' && nearAnOpening(record, openings.get(record.symbol))) return;
      candidates.push(index);
    });
    const byAge = (a: number, b: number) => byTime((tables.decisions[a] as DecisionRecord).time, (tables.decisions[b] as DecisionRecord).time) || a - b;
    const doomed = new Set(candidates.sort(byAge).slice(0, Math.max(0, Math.floor(limit))));
    if (doomed.size === 0) return 0;
    const carry = new Map(tables.modelCarry);
    const decisions: DecisionRecord[] = [];
    const ids: number[] = [];
    let firstUnscored = 0;
    tables.decisions.forEach((record, index) => {
      const id = tables.decisionIds[index] as number;
      if (!doomed.has(index)) {
        decisions.push(record);
        ids.push(id);
        if (index < tables.firstUnscored) firstUnscored += 1;
        return;
      }
      const hit = tables.scores.get(String(id))?.hit;
      if (record.purpose === 'entry') addToCarry(carry, record, hit);
      tables.scores.delete(String(id));
    });
    // New arrays, not cut in place: a transaction's checkpoint holds the old ones (see checkpointOf).
    tables.decisions = decisions;
    tables.decisionIds = ids;
    tables.modelCarry = carry;
    tables.firstUnscored = firstUnscored;
    return doomed.size;
  }

  async list(query: { from?: Date; to?: Date; limit?: number }): Promise<DecisionRecord[]> {
    await this.db.ready();
    // A stable sort keeps insertion order among equal times, as the SQL store's identity column does.
    const records = this.db.tables().decisions.filter((record) => inRange(record.time, query));
    records.sort((a, b) => byTime(a.time, b.time));
    return query.limit === undefined ? records : records.reverse().slice(0, Math.max(0, Math.floor(query.limit)));
  }
}

export class MemoryBreakers implements BreakerEventRepository {
  constructor(private readonly db: Access) {}

  async record(event: BreakerEvent): Promise<void> {
    await this.db.ready();
    this.db.tables().breakers.push(normalized(event));
  }

  async list(query: { from?: Date; to?: Date } = {}): Promise<BreakerEvent[]> {
    await this.db.ready();
    const events = this.db.tables().breakers.filter((event) => inRange(event.time, query));
    return events.sort((a, b) => byTime(a.time, b.time));
  }

  async pruneBefore(before: Date, limit: number): Promise<number> {
    await this.db.ready();
    const tables = this.db.tables();
    const { kept, count } = withoutOldest(tables.breakers, (event) => event.time, before, limit);
    tables.breakers = kept;
    return count;
  }
}

export class MemoryRejections implements RiskRejectionRepository {
  constructor(private readonly db: Access) {}

  async record(rejection: RiskRejection): Promise<void> {
    await this.db.ready();
    this.db.tables().rejections.push(normalized({ ...rejection, reasons: [...rejection.reasons] }));
  }

  async list(query: { from?: Date; to?: Date } = {}): Promise<RiskRejection[]> {
    await this.db.ready();
    return this.db.tables().rejections.filter((rejection) => inRange(rejection.time, query)).sort((a, b) => byTime(a.time, b.time));
  }

  async pruneBefore(before: Date, limit: number): Promise<number> {
    await this.db.ready();
    const tables = this.db.tables();
    const { kept, count } = withoutOldest(tables.rejections, (rejection) => rejection.time, before, limit);
    tables.rejections = kept;
    return count;
  }
}

export class MemoryState implements TradingStateRepository {
  constructor(private readonly db: Access) {}

  async get(key: string): Promise<unknown> {
    await this.db.ready();
    const text = this.db.tables().state.get(key);
    return text === undefined ? undefined : JSON.parse(text);
  }

  async put(key: string, value: unknown): Promise<void> {
    await this.db.ready();
    this.db.tables().state.set(key, JSON.stringify(value ?? null));
  }
}

export function emptyDay(day: string, startCapital: number): DailyPerformance {
  return { day, startCapital, endCapital: startCapital, trades: 0, wins: 0, losses: 0, netPnl: 0, fees: 0, funding: 0 };
}

export class MemoryDailyPerformance implements DailyPerformanceRepository {
  constructor(private readonly db: Access) {}

  async openDay(day: string, startCapital: number): Promise<DailyPerformance> {
    await this.db.ready();
    const days = this.db.tables().days;
    const existing = days.get(checkDay(day));
    if (existing) return existing;
    const opened = emptyDay(day, decimal(startCapital));
    days.set(day, opened);
    return opened;
  }

  async addTrade(day: string, trade: Trade, capitalAfter: number): Promise<DailyPerformance> {
    await this.db.ready();
    const days = this.db.tables().days;
    const result = tradeResult(trade.netPnl);
    // The SQL store's upsert, in its NUMERIC arithmetic; the fees are added up as a double first there as well.
    const current = days.get(checkDay(day)) ?? emptyDay(day, numericSum(capitalAfter, -trade.netPnl));
    const next: DailyPerformance = {
      ...current,
      endCapital: decimal(capitalAfter),
      trades: current.trades + 1,
      wins: current.wins + (result === 'win' ? 1 : 0),
      losses: current.losses + (result === 'loss' ? 1 : 0),
      netPnl: numericSum(current.netPnl, trade.netPnl),
      fees: numericSum(current.fees, trade.entryFee + trade.exitFee),
      funding: numericSum(current.funding, trade.funding),
    };
    days.set(day, next);
    return next;
  }

  async transfer(day: string, amount: number): Promise<void> {
    await this.db.ready();
    const days = this.db.tables().days;
    const current = days.get(checkDay(day));
    if (current === undefined) return;
    days.set(day, { ...current, startCapital: numericSum(current.startCapital, amount), endCapital: numericSum(current.endCapital, amount) });
  }

  async get(day: string): Promise<DailyPerformance | undefined> {
    await this.db.ready();
    return this.db.tables().days.get(checkDay(day));
  }

  async range(fromDay: string, toDay: string): Promise<DailyPerformance[]> {
    await this.db.ready();
    checkDay(fromDay);
    checkDay(toDay);
    return [...this.db.tables().days.values()]
      .filter((entry) => entry.day >= fromDay && entry.day <= toDay)
      .sort((a, b) => byText(a.day, b.day));
  }
}

export class MemoryLogs implements LogRepository {
  constructor(private readonly db: Access) {}

  async append(entries: readonly LogEntry[]): Promise<void> {
    await this.db.ready();
    this.db.tables().logs.push(...entries.map((entry) => normalized(entry, ['context'])));
  }

  async recent(limit: number, minLevel: LogLevel): Promise<LogEntry[]> {
    await this.db.ready();
    const rank = LOG_LEVELS.indexOf(minLevel);
    // Appended later = a higher identity in the SQL table: among entries of the same time, the last one comes first.
    return this.db
      .tables()
      .logs.map((entry, index) => ({ entry, index }))
      .filter(({ entry }) => LOG_LEVELS.indexOf(entry.level as LogLevel) >= rank)
      .sort((a, b) => byTime(b.entry.time, a.entry.time) || b.index - a.index)
      .slice(0, Math.max(0, Math.floor(limit)))
      .map(({ entry }) => entry);
  }

  async pruneBefore(before: Date, limit: number): Promise<number> {
    await this.db.ready();
    const tables = this.db.tables();
    const { kept, count } = withoutOldest(tables.logs, (entry) => entry.time, before, limit);
    tables.logs = kept;
    return count;
  }
}

/**
 * Retention on a table in memory: the rows left once up to `limit` of those older than `before` (and `prunable`) went,
 * oldest first, ties in the order they were written, as the SQL store's `deleteOldest` does.
 */
function withoutOldest<T>(rows: readonly T[], timeOf: (row: T) => Date, before: Date, limit: number, prunable: (row: T) => boolean = () => true): { kept: T[]; count: number } {
  const doomed = new Set(
    rows
      .map((row, index) => ({ row, index }))
      .filter(({ row }) => timeOf(row) < before && prunable(row))
      .sort((a, b) => byTime(timeOf(a.row), timeOf(b.row)) || a.index - b.index)
      .slice(0, Math.max(0, Math.floor(limit)))
      .map(({ index }) => index),
  );
  return { kept: doomed.size > 0 ? rows.filter((_, index) => !doomed.has(index)) : [...rows], count: doomed.size };
}

const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

export class MemoryOutbox implements OutboxRepository {
  constructor(private readonly db: Access) {}

  async enqueue(message: { createdAt: Date; eventType: string; text: string; payload: unknown }): Promise<OutboxMessage> {
    await this.db.ready();
    const tables = this.db.tables();
    const id = String(tables.nextOutboxId++);
    const fresh = { ...message, id, attempts: 0, nextAttemptAt: message.createdAt };
    const stored = normalized<OutboxMessage>(fresh, ['payload']);
    tables.outbox.set(id, stored);
    return stored;
  }

  async due(now: Date, limit: number): Promise<OutboxMessage[]> {
    await this.db.ready();
    const waiting = [...this.db.tables().outbox.values()]
      .filter((message) => message.deliveredAt === undefined)
      .sort((a, b) => byTime(a.createdAt, b.createdAt) || byId(a.id, b.id))
      .slice(0, Math.max(0, Math.floor(limit)));
    return untilNotDue(waiting, now);
  }

  async markDelivered(id: string, at: Date): Promise<void> {
    await this.db.ready();
    const outbox = this.db.tables().outbox;
    const message = outbox.get(id);
    if (message) outbox.set(id, { ...message, deliveredAt: new Date(at.getTime()) });
  }

  async markFailed(id: string, error: string, nextAttemptAt: Date): Promise<void> {
    await this.db.ready();
    const outbox = this.db.tables().outbox;
    const message = outbox.get(id);
    if (!message || message.deliveredAt) return;
    const retry = { attempts: message.attempts + 1, lastError: error, nextAttemptAt: new Date(nextAttemptAt.getTime()) };
    outbox.set(id, { ...message, ...retry });
  }

  async backlog(): Promise<number> {
    await this.db.ready();
    return [...this.db.tables().outbox.values()].filter((message) => message.deliveredAt === undefined).length;
  }

  async pruneBefore(before: Date, limit: number): Promise<number> {
    await this.db.ready();
    const outbox = this.db.tables().outbox;
    // Oldest first by time, then by id (the order they were written), as the SQL store's identity column gives.
    const written = [...outbox.values()].sort((a, b) => byId(a.id, b.id));
    const prunable = (message: OutboxMessage) => message.deliveredAt !== undefined && message.eventType !== OUTBOX_KEPT_EVENT;
    const { kept, count } = withoutOldest(written, (message) => message.createdAt, before, limit, prunable);
    if (count > 0) {
      const keptIds = new Set(kept.map((message) => message.id));
      for (const id of outbox.keys()) if (!keptIds.has(id)) outbox.delete(id);
    }
    return count;
  }
}

export class MemoryPaperAccount implements PaperAccountRepository {
  constructor(private readonly db: Access) {}

  async load(): Promise<SavedPaperAccount | undefined> {
    await this.db.ready();
    const { paper, paperHistory } = this.db.tables();
    if (!paper) return undefined;
    const history = paperHistory.map((row) => ({ kind: row.kind, entry: JSON.parse(row.entry) as unknown }));
    return { balance: paper.balance, state: JSON.parse(paper.state), history };
  }

  async save(balance: number, state: unknown, appended: readonly PaperHistoryEntry[]): Promise<void> {
    await this.db.ready();
    const stray = appended.find((item) => !['fill', 'funding', 'order'].includes(item.kind));
    if (stray) throw new Error(`paper history kind ${String(stray.kind)} violates the check constraint`);
    const tables = this.db.tables();
    tables.paper = { balance: decimal(balance), state: JSON.stringify(state ?? null) };
    tables.paperHistory.push(...appended.map((item) => ({ kind: item.kind, entry: JSON.stringify(item.entry ?? null) })));
  }
}

/**
 * AVG over NUMERIC as Postgres computes it: the exact decimal mean of the stored values (their sum in units of 1e-12), carried to 24
 * places and read as the nearest double, so a backtest's report is the same on either store.
 */
function numericMean(sum: bigint, count: number): number {
  const divisor = BigInt(count) * 10n ** 12n;
  const scaled = sum * 10n ** 24n;
  let quotient = scaled / divisor;
  const remainder = scaled % divisor;
  if (2n * (remainder < 0n ? -remainder : remainder) >= divisor) quotient += scaled < 0n ? -1n : 1n;
  const negative = quotient < 0n;
  const digits = (negative ? -quotient : quotient).toString().padStart(25, '0');
  return Number(`${negative ? '-' : ''}${digits.slice(0, -24)}.${digits.slice(-24)}`);
}

function withoutUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

/** Index of the first decision at or after `time`, in decisions kept in time order. */
function firstAtOrAfter(decisions: readonly DecisionRecord[], time: Date): number {
  let low = 0;
  let high = decisions.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((decisions[middle] as DecisionRecord).time < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

function isScorable(record: DecisionRecord): boolean {
  const { side, stopLossPct, takeProfitPct } = record;
  return record.purpose === 'entry' && record.outcome === 'valid' && side !== undefined && stopLossPct !== undefined && takeProfitPct !== undefined;
}

/** Where a decision id sits in the tables (ids ascend with the rows), or undefined once it was never or is no longer there. */
function indexOfDecision(tables: Tables, id: string): number | undefined {
  const wanted = Number(id);
  let low = 0;
  let high = tables.decisionIds.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((tables.decisionIds[middle] as number) < wanted) low = middle + 1;
    else high = middle;
  }
  return tables.decisionIds[low] === wanted ? low : undefined;
}

/** An entry vote's part of its analyst's track record, added to `records` (as the SQL store's COUNTs and SUMs count it). */
function addToCarry(records: Map<string, ModelCarry>, record: DecisionRecord, hit: boolean | null | undefined): void {
  const row = records.get(record.analyst) ?? { votes: 0, scored: 0, hits: 0, rightConfidence: 0n, wrongConfidence: 0n };
  const confidence = toUnits(record.confidence);
  records.set(record.analyst, {
    votes: row.votes + (record.outcome === 'valid' && record.side !== undefined ? 1 : 0),
    scored: row.scored + (hit === true || hit === false ? 1 : 0),
    hits: row.hits + (hit === true ? 1 : 0),
    rightConfidence: row.rightConfidence + (hit === true ? confidence : 0n),
    wrongConfidence: row.wrongConfidence + (hit === false ? confidence : 0n),
  });
}

/** Opening times of every stored position, by symbol. */
function openingsBySymbol(tables: Tables): Map<string, number[]> {
  const openings = new Map<string, number[]>();
  for (const position of tables.positions.values()) {
    openings.set(position.symbol, [...(openings.get(position.symbol) ?? []), position.openedAt.getTime()]);
  }
  return openings;
}

/** Whether an entry vote is one a position's trade page shows (TRADE_VOTES_KEPT around its opening). */
function nearAnOpening(record: DecisionRecord, openings: readonly number[] | undefined): boolean {
  const time = record.time.getTime();
  return (openings ?? []).some((opened) => opened >= time - TRADE_VOTES_KEPT.afterMs && opened <= time + TRADE_VOTES_KEPT.beforeMs);
}
