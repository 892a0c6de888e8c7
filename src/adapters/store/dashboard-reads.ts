// The dashboard's read-only queries over the trading record (the DashboardReads port). Each one is bounded by a
// LIMIT or a time range, so a year of history answers as fast as a week.
import type { DashboardReads, DecisionQuery, ModeChange, ModelWeek, PnlTotals, SentMessage, TradeFilter, TradePage, TradePageQuery } from '../../ports/dashboard.js';
import type { DecisionRecord, LogEntry } from '../../ports/store.js';
import type { Trade } from '../../domain/trading.js';
import { DECISION_COLUMNS, toDecision } from './repositories/decisions.js';
import { isRowId } from './repositories/sql-fragments.js';
import { TRADE_COLUMNS, toTrade } from './repositories/trades.js';
import type { SqlExecutor } from './sql.js';
import { fromNullableDate, fromNullableNumeric, fromNumeric, toDate } from './values.js';

type Row = Record<string, unknown>;

/** The stored answers without their raw text, which the pages never show and which is most of a row's bytes. */
const DECISION_COLUMNS_WITHOUT_RAW = DECISION_COLUMNS.replace(/\braw,\s*/, '');

/** `WHERE` conditions of a trade filter, its values appended to `params`. */
function tradeConditions(filter: TradeFilter, params: unknown[]): string {
  const conditions: string[] = ['TRUE'];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (filter.from) add((p) => `t.closed_at >= ${p}`, filter.from);
  if (filter.to) add((p) => `t.closed_at < ${p}`, filter.to);
  if (filter.symbol) add((p) => `t.symbol = ${p}`, filter.symbol);
  if (filter.side) add((p) => `t.side = ${p}`, filter.side);
  if (filter.reason) add((p) => `t.reason = ${p}`, filter.reason);
  if (filter.result === 'win') conditions.push('t.net_pnl > 0');
  if (filter.result === 'loss') conditions.push('t.net_pnl < 0');
  return conditions.join(' AND ');
}

export class SqlDashboardReads implements DashboardReads {
  constructor(private readonly db: SqlExecutor) {}

  async pnlTotals(dayStart: Date, weekStart: Date): Promise<PnlTotals> {
    const { rows } = await this.db.query<Row>(
      `SELECT COALESCE(sum(net_pnl) FILTER (WHERE closed_at >= $1), 0) AS today,
              COALESCE(sum(net_pnl) FILTER (WHERE closed_at >= $2), 0) AS week,
              COALESCE(sum(net_pnl), 0) AS all_time, count(*) AS trades
         FROM trades`,
      [dayStart, weekStart],
    );
    const row = rows[0] ?? {};
    return { today: fromNumeric(row.today ?? 0), week: fromNumeric(row.week ?? 0), allTime: fromNumeric(row.all_time ?? 0), tradesAllTime: Number(row.trades ?? 0) };
  }

  async tradePage(query: TradePageQuery): Promise<TradePage> {
    const params: unknown[] = [];
    const where = tradeConditions(query, params);
    const counted = await this.db.query<{ total: unknown }>(`SELECT count(*) AS total FROM trades t WHERE ${where}`, params);
    const paged = [...params, Math.max(0, Math.floor(query.limit)), Math.max(0, Math.floor(query.offset))];
    // The page's keys first: an OFFSET would otherwise build the fills of every skipped row too.
    const { rows } = await this.db.query<Row>(
      `SELECT ${TRADE_COLUMNS}
         FROM (SELECT t.position_id FROM trades t WHERE ${where}
                ORDER BY t.closed_at DESC, t.position_id DESC LIMIT $${paged.length - 1} OFFSET $${paged.length}) page
         JOIN trades t ON t.position_id = page.position_id
        ORDER BY t.closed_at DESC, t.position_id DESC`,
      paged,
    );
    return { total: Number(counted.rows[0]?.total ?? 0), trades: rows.map(toTrade) };
  }

  async trade(positionId: string): Promise<Trade | undefined> {
    if (!isRowId(positionId)) return undefined;
    const { rows } = await this.db.query<Row>(`SELECT ${TRADE_COLUMNS} FROM trades t WHERE t.position_id = $1`, [positionId]);
    return rows[0] === undefined ? undefined : toTrade(rows[0]);
  }

  async tradesOpenedBetween(from: Date, to: Date): Promise<Trade[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${TRADE_COLUMNS} FROM trades t WHERE t.opened_at >= $1 AND t.opened_at < $2 ORDER BY t.opened_at, t.position_id`,
      [from, to],
    );
    return rows.map(toTrade);
  }

  async decisions(query: DecisionQuery): Promise<DecisionRecord[]> {
    const params: unknown[] = [];
    const conditions: string[] = ['TRUE'];
    const add = (column: string, operator: string, value: unknown) => {
      params.push(value);
      conditions.push(`${column} ${operator} $${params.length}`);
    };
    if (query.from) add('time', '>=', query.from);
    if (query.before) add('time', '<', query.before);
    if (query.symbol) add('symbol', '=', query.symbol);
    if (query.analyst) add('analyst', '=', query.analyst);
    if (query.outcome) add('outcome', '=', query.outcome);
    if (query.purpose) add('purpose', '=', query.purpose);
    params.push(Math.max(0, Math.floor(query.limit)));
    const { rows } = await this.db.query<Row>(
      `SELECT ${DECISION_COLUMNS_WITHOUT_RAW} FROM ai_decisions WHERE ${conditions.join(' AND ')} ORDER BY time DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toDecision);
  }

  async modelWeeks(from: Date): Promise<ModelWeek[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT analyst, to_char(date_trunc('week', time AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS week,
              count(*) AS answers,
              count(*) FILTER (WHERE outcome = 'failed') AS failed,
              count(*) FILTER (WHERE outcome = 'rejected') AS rejected,
              count(*) FILTER (WHERE outcome = 'valid' AND side IS NOT NULL) AS directional,
              count(hit) AS scored,
              count(*) FILTER (WHERE hit) AS hits,
              COALESCE(sum(cost_usd), 0) AS cost,
              avg(latency_ms) FILTER (WHERE NOT cached) AS latency
         FROM ai_decisions WHERE time >= $1
        GROUP BY analyst, week ORDER BY week, analyst`,
      [from],
    );
    return rows.map((row) => ({
      analyst: String(row.analyst),
      weekStart: new Date(`${String(row.week)}T00:00:00Z`),
      answers: Number(row.answers),
      failed: Number(row.failed),
      rejected: Number(row.rejected),
      directional: Number(row.directional),
      scored: Number(row.scored),
      hits: Number(row.hits),
      costUsd: fromNumeric(row.cost),
      ...(row.latency === null || row.latency === undefined ? {} : { meanLatencyMs: fromNullableNumeric(row.latency) }),
    }));
  }

  async modeChanges(): Promise<ModeChange[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT created_at, payload->>'mode' AS mode FROM notification_outbox WHERE event_type = 'started' ORDER BY id`,
    );
    return rows.map((row) => ({ at: toDate(row.created_at), mode: String(row.mode ?? 'unknown') }));
  }

  async logs(query: { readonly levels: readonly string[]; readonly limit: number; readonly before?: Date }): Promise<LogEntry[]> {
    const params: unknown[] = [[...query.levels]];
    let before = '';
    if (query.before) {
      params.push(query.before);
      before = `AND time < $${params.length}`;
    }
    params.push(Math.max(0, Math.floor(query.limit)));
    const { rows } = await this.db.query<Row>(
      `SELECT time, level, module, message, context FROM system_logs
        WHERE level = ANY($1::text[]) ${before} ORDER BY time DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => ({
      time: toDate(row.time),
      level: String(row.level),
      ...(row.module === null || row.module === undefined ? {} : { module: String(row.module) }),
      message: String(row.message),
      ...(row.context === null || row.context === undefined
        ? {}
        : { context: (typeof row.context === 'string' ? JSON.parse(row.context) : row.context) as Record<string, unknown> }),
    }));
  }

  async messages(limit: number): Promise<SentMessage[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT id::text AS id, created_at, event_type, text, delivered_at FROM notification_outbox ORDER BY id DESC LIMIT $1`,
      [Math.max(0, Math.floor(limit))],
    );
    return rows.map((row) => {
      const deliveredAt = fromNullableDate(row.delivered_at);
      return {
        id: String(row.id),
        createdAt: toDate(row.created_at),
        eventType: String(row.event_type),
        text: String(row.text),
        ...(deliveredAt === undefined ? {} : { deliveredAt }),
      };
    });
  }
}
