// Read-only endpoints of the record: trades (paged, filtered, CSV), one trade with its votes, orders and price
// chart, every scan's answers ("why did it trade?"), and each model's track record over time.
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { TIMEFRAME_MS, type Timeframe } from '../../../domain/market.js';
import type { Trade as TradeRecord } from '../../../domain/trading.js';
import type { TradeFilter } from '../../../ports/dashboard.js';
import type { DecisionRecord } from '../../../ports/store.js';
import { cachedFor, type DashboardData } from './dashboard-data.js';
import { groupScans } from './presentation.js';
import { ApiError, RawReply, route, type Route } from './route.js';
import { Candle, dateTime, list, ModelRecord, ModelWeek, Order, queryDate, queryDateEnd, queryInt, Scan, ShadowBoard, Trade, Vote } from './schemas.js';
import { SECURITY_HEADERS } from '../http-reply.js';

const MODELS_CACHE_MS = 30_000;
/** Trades read from the store per page of the CSV export: a page's rows are held in memory while they are sent. */
export const CSV_PAGE_ROWS = 5_000;
const SCAN_ROWS = 600;
/** Candles the venue serves in one request. */
const CANDLE_LIMIT = 1_000;

/** A text filter: Postgres refuses a NUL in text outright, and no symbol, reason or analyst holds a control character. */
const queryText = z
  .string()
  .max(40)
  .regex(/^\P{Cc}*$/u, 'must not contain control characters');

const tradeFilter = z.object({
  from: queryDate.optional(),
  to: queryDateEnd.optional(),
  symbol: queryText.optional(),
  side: z.enum(['long', 'short']).optional(),
  reason: queryText.optional(),
  result: z.enum(['win', 'loss']).optional(),
});

function filterOf(query: z.output<typeof tradeFilter>): TradeFilter {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)) as TradeFilter;
}

const CSV_COLUMNS: readonly [string, (trade: TradeRecord) => string | number][] = [
  ['position_id', (t) => t.positionId],
  ['symbol', (t) => t.symbol],
  ['side', (t) => t.side],
  ['leverage', (t) => t.leverage],
  ['quantity', (t) => t.quantity],
  ['opened_at', (t) => t.openedAt.toISOString()],
  ['closed_at', (t) => t.closedAt.toISOString()],
  ['entry_price', (t) => t.entryPrice],
  ['exit_price', (t) => t.exitPrice],
  ['margin', (t) => t.margin],
  ['entry_fee', (t) => t.entryFee],
  ['exit_fee', (t) => t.exitFee],
  ['funding', (t) => t.funding],
  ['gross_pnl', (t) => t.grossPnl],
  ['net_pnl', (t) => t.netPnl],
  ['pnl_pct', (t) => t.pnlPct],
  ['reason', (t) => t.reason],
  ['fills', (t) => t.fills.length],
];

export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  // A leading = + - @ would make a spreadsheet evaluate the cell, and so would one after a leading tab or carriage return.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csvLine = (trade: TradeRecord): string => `${CSV_COLUMNS.map(([, cell]) => csvCell(cell(trade))).join(',')}\n`;

/**
 * Writes the header and every page until a short one. Pages are read by offset, newest first: a trade that closes
 * during the export moves the older rows one place down, so the next page would start with a row already sent. Rows
 * of the page before are skipped for that reason (no trade is ever removed, so rows only move down).
 */
async function streamCsv(response: ServerResponse, first: readonly TradeRecord[], pageAt: (offset: number) => Promise<readonly TradeRecord[]>): Promise<void> {
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': 'text/csv; charset=utf-8',
    'cache-control': 'no-store',
    'content-disposition': 'attachment; filename="trades.csv"',
  });
  let page = first;
  let offset = 0;
  let sent: ReadonlySet<string> = new Set();
  if (!(await send(response, `${CSV_COLUMNS.map(([name]) => name).join(',')}\n`))) return;
  for (;;) {
    const fresh = page.filter((trade) => !sent.has(trade.positionId));
    if (fresh.length > 0 && !(await send(response, fresh.map(csvLine).join('')))) return;
    if (page.length < CSV_PAGE_ROWS) break;
    offset += page.length;
    sent = new Set(page.map((trade) => trade.positionId));
    page = await pageAt(offset);
  }
  response.end();
}

/** Writes a chunk, waiting while the client reads slowly; false once the client has gone. */
async function send(response: ServerResponse, chunk: string): Promise<boolean> {
  if (response.destroyed) return false;
  if (response.write(chunk)) return true;
  const stop = new AbortController();
  try {
    await Promise.race([once(response, 'drain', { signal: stop.signal }), once(response, 'close', { signal: stop.signal })]);
  } finally {
    stop.abort();
  }
  return !response.destroyed;
}

/** The finest timeframe whose last `CANDLE_LIMIT` candles reach back to before the trade opened. */
function timeframeFor(openedAt: Date, now: Date): Timeframe | undefined {
  const needed = now.getTime() - openedAt.getTime();
  return (['15m', '1h', '4h'] as const).find((timeframe) => TIMEFRAME_MS[timeframe] * (CANDLE_LIMIT - 20) > needed);
}

export function historyRoutes(data: DashboardData): Route[] {
  const scanGapMs = Math.min(60_000, data.scanIntervalMs / 2);
  // The leaderboard reads every shadow's record and runs a 10,000-draw bootstrap: once per half minute is plenty.
  const shadows = cachedFor(MODELS_CACHE_MS, data.clock, () => data.control.shadows());
  const modelsFrom = () => new Date(data.clock.now().getTime() - 26 * 7 * 86_400_000);
  const models = cachedFor(MODELS_CACHE_MS, data.clock, async () => {
    const [records, weeks] = await Promise.all([data.control.modelRecords(), data.reads.modelWeeks(modelsFrom())]);
    return { records, weeks };
  });

  return [
    route({
      method: 'GET',
      path: '/api/trades',
      summary: 'Closed trades, newest first, filtered and paged, with fills, fees and funding',
      tag: 'history',
      access: 'viewer',
      query: tradeFilter.extend({ offset: queryInt(0, 10_000_000, 0), limit: queryInt(1, 500, 50) }),
      response: { json: z.object({ total: z.number().int(), offset: z.number().int(), limit: z.number().int(), trades: list(Trade) }) },
      handle: async ({ query }) => {
        const page = await data.reads.tradePage({ ...filterOf(query), offset: query.offset, limit: query.limit });
        return { total: page.total, offset: query.offset, limit: query.limit, trades: page.trades };
      },
    }),
    route({
      method: 'GET',
      path: '/api/trades.csv',
      summary: 'The filtered trades as CSV, newest first, every one of them (sent as read, page by page)',
      tag: 'history',
      access: 'viewer',
      query: tradeFilter,
      response: { contentType: 'text/csv' },
      handle: async ({ query }) => {
        const filter = filterOf(query);
        // The first page is read before answering, so a store that cannot be read gets a proper error status.
        const first = await data.reads.tradePage({ ...filter, offset: 0, limit: CSV_PAGE_ROWS });
        return new RawReply((response) => streamCsv(response, first.trades, (offset) => data.reads.tradePage({ ...filter, offset, limit: CSV_PAGE_ROWS }).then((page) => page.trades)));
      },
    }),
    route({
      method: 'GET',
      path: '/api/trades/{id}',
      summary: 'One trade: fills, orders, and the entry votes that led to it',
      tag: 'history',
      access: 'viewer',
      params: z.object({ id: z.string().regex(/^\d{1,18}$/) }),
      response: { json: z.object({ trade: Trade, takeProfitPrice: z.number().optional(), orders: list(Order), votes: list(Vote) }) },
      handle: async ({ params }) => {
        const trade = await data.reads.trade(params.id);
        if (!trade) throw new ApiError(404, `no trade for position ${params.id}`);
        const [position, orders, decisions] = await Promise.all([
          data.store.positions.get(trade.positionId),
          data.store.orders.forPosition(trade.positionId),
          data.reads.decisions({
            symbol: trade.symbol,
            purpose: 'entry',
            from: new Date(trade.openedAt.getTime() - 10 * 60_000),
            before: new Date(trade.openedAt.getTime() + 1_000),
            limit: 20,
          }),
        ]);
        const target = position?.takeProfitPrice;
        return { trade, ...(target === undefined ? {} : { takeProfitPrice: target }), orders, votes: decisions.map(asVote) };
      },
    }),
    route({
      method: 'GET',
      path: '/api/trades/{id}/candles',
      summary: "Candles around a trade for its price chart (the finest timeframe that still reaches its entry)",
      tag: 'history',
      access: 'viewer',
      params: z.object({ id: z.string().regex(/^\d{1,18}$/) }),
      response: { json: z.object({ timeframe: z.string().optional(), candles: list(Candle), note: z.string().optional() }) },
      handle: async ({ params }) => {
        const trade = await data.reads.trade(params.id);
        if (!trade) throw new ApiError(404, `no trade for position ${params.id}`);
        const timeframe = timeframeFor(trade.openedAt, data.clock.now());
        if (!timeframe) return { candles: [], note: 'the trade is older than the venue serves candles for in one request' };
        const from = trade.openedAt.getTime() - 40 * TIMEFRAME_MS[timeframe];
        const to = trade.closedAt.getTime() + 40 * TIMEFRAME_MS[timeframe];
        const candles = (await data.marketData.candles(trade.symbol, timeframe, CANDLE_LIMIT))
          .filter((candle) => candle.openTime >= from && candle.openTime <= to)
          .map((candle) => ({ time: Math.floor(candle.openTime / 1000), open: candle.open, high: candle.high, low: candle.low, close: candle.close }));
        return { timeframe, candles };
      },
    }),
    route({
      method: 'GET',
      path: '/api/scans',
      summary: "Scans, newest first: each market's votes with confidence, reasoning, rejections, cost and latency",
      tag: 'history',
      access: 'viewer',
      query: z.object({
        before: queryDate.optional(),
        symbol: queryText.optional(),
        analyst: queryText.optional(),
        purpose: z.enum(['entry', 'exit']).optional(),
        limit: queryInt(1, 50, 10),
      }),
      response: { json: z.object({ scans: list(Scan), nextBefore: dateTime.optional() }) },
      handle: async ({ query }) => {
        const records = await data.reads.decisions({
          ...(query.before ? { before: query.before } : {}),
          ...(query.symbol ? { symbol: query.symbol } : {}),
          ...(query.analyst ? { analyst: query.analyst } : {}),
          ...(query.purpose ? { purpose: query.purpose } : {}),
          limit: SCAN_ROWS,
        });
        const complete = groupScans(records, scanGapMs, data.minConfidence);
        // The oldest group may be cut by the row limit; it comes whole with the next page.
        const whole = records.length === SCAN_ROWS && complete.length > 1 ? complete.slice(0, -1) : complete;
        const groups = whole.slice(0, query.limit);
        const more = whole.length > groups.length || records.length === SCAN_ROWS;
        const oldest = groups[groups.length - 1];
        const scans = await withOutcomes(data, groups);
        return { scans, ...(oldest && more ? { nextBefore: oldest.startedAt } : {}) };
      },
    }),
    route({
      method: 'GET',
      path: '/api/shadows',
      summary: 'The shadow strategies (paper variants) against the main account, with the significance test of each',
      tag: 'history',
      access: 'viewer',
      response: { json: ShadowBoard },
      handle: () => shadows(),
    }),
    route({
      method: 'GET',
      path: '/api/models',
      summary: "Each model's track record, its weekly hit rate, cost, failures and rejected answers (26 weeks)",
      tag: 'history',
      access: 'viewer',
      response: { json: z.object({ records: list(ModelRecord), weeks: list(ModelWeek) }) },
      handle: async () => {
        const { records, weeks } = await models();
        const sum = (analyst: string, pick: (week: (typeof weeks)[number]) => number) =>
          weeks.filter((week) => week.analyst === analyst).reduce((total, week) => total + pick(week), 0);
        return {
          records: records.map((record) => ({
            ...record,
            costUsd: sum(record.analyst, (w) => w.costUsd),
            failed: sum(record.analyst, (w) => w.failed),
            rejected: sum(record.analyst, (w) => w.rejected),
          })),
          weeks: weeks.map((week) => ({ ...week, ...(week.scored > 0 ? { hitRate: week.hits / week.scored } : {}) })),
        };
      },
    }),
  ];
}

type ScanGroup = ReturnType<typeof groupScans>[number];

/** Each entry scan with the risk manager's refusals and the positions it opened, read once for the whole page. */
async function withOutcomes(data: DashboardData, groups: readonly ScanGroup[]) {
  const windowOf = (group: ScanGroup) => ({ from: new Date(group.startedAt.getTime() - 1_000), to: new Date(group.endedAt.getTime() + 60_000) });
  const entries = groups.filter((group) => group.purpose === 'entry');
  const first = entries[entries.length - 1];
  const last = entries[0];
  const [rejections, trades, open] =
    first && last
      ? await Promise.all([
          data.store.rejections.list({ from: windowOf(first).from, to: windowOf(last).to }),
          data.reads.tradesOpenedBetween(windowOf(first).from, windowOf(last).to),
          data.control.openPositions(),
        ])
      : [[], [], []];
  const opened = [
    ...trades.map((trade) => ({ positionId: trade.positionId, symbol: trade.symbol, side: trade.side, at: trade.openedAt })),
    ...open.map((view) => ({ positionId: view.position.id, symbol: view.position.symbol, side: view.position.side, at: view.position.openedAt })),
  ];
  return groups.map((group) => {
    const { from, to } = windowOf(group);
    const inside = (at: Date) => group.purpose === 'entry' && at >= from && at <= to;
    return {
      ...group,
      markets: group.markets.map((market) => ({ ...market, votes: market.votes.map(asVote) })),
      rejections: rejections.filter((rejection) => inside(rejection.time)),
      opened: opened.filter((entry) => inside(entry.at)).map(({ positionId, symbol, side }) => ({ positionId, symbol, side })),
    };
  });
}

function asVote(record: DecisionRecord) {
  return { ...record, model: record.usage.model, costUsd: record.usage.costUsd, latencyMs: record.usage.latencyMs, cached: record.usage.cached };
}
