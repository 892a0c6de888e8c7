// Backtests from the page: start one on the bundled history or a chosen folder, watch its progress, read past
// reports. Starting is the owner's; reading is everyone's.
import { z } from 'zod';
import { BacktestBusy, BadBacktestRequest, type BacktestJobs } from '../backtest-jobs.js';
import { writeBody } from '../http-reply.js';
import { ApiError, RawReply, route, type Route } from './route.js';
import { dateTime, list } from './schemas.js';

const Job = z.object({
  id: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  progress: z.number(),
  startedAt: dateTime,
  endedAt: dateTime.optional(),
  error: z.string().optional(),
  request: z.object({ data: z.string(), from: z.string().optional(), to: z.string().optional(), symbols: list(z.string()).optional() }),
});

const Report = z.object({
  id: z.string(),
  createdAt: dateTime,
  trades: z.number().int(),
  netPnl: z.number(),
  winRate: z.number().optional(),
  maxDrawdownPct: z.number(),
  window: z.object({ start: z.string(), end: z.string(), symbols: list(z.string()) }),
});

const day = z.iso.date().describe('YYYY-MM-DD (UTC)');

export function backtestRoutes(jobs: BacktestJobs): Route[] {
  return [
    route({
      method: 'GET',
      path: '/api/backtests',
      summary: 'The running backtest, if any, and the saved reports, newest first',
      tag: 'backtests',
      access: 'viewer',
      response: { json: z.object({ running: Job.optional(), reports: list(Report) }) },
      handle: async () => {
        const running = jobs.running();
        return { ...(running ? { running } : {}), reports: await jobs.reports() };
      },
    }),
    route({
      method: 'POST',
      path: '/api/backtests',
      summary: 'Start a backtest (technical analysts) on the bundled history or a folder of Binance kline CSVs',
      tag: 'backtests',
      access: 'owner',
      body: z.object({
        data: z.string().min(1).max(500).optional().describe('a folder with klines/SYMBOL-15m.csv; default: the bundled history'),
        from: day.optional(),
        to: day.optional(),
        symbols: z.array(z.string().regex(/^[A-Z0-9]{2,15}(\/USDT:USDT|USDT)$/)).max(15).optional(),
      }),
      response: { json: Job },
      handle: async ({ body }) => {
        try {
          return await jobs.start(body);
        } catch (error) {
          if (error instanceof BacktestBusy) throw new ApiError(409, error.message);
          if (error instanceof BadBacktestRequest) throw new ApiError(400, error.message);
          throw error;
        }
      },
    }),
    route({
      method: 'GET',
      path: '/api/backtests/{id}',
      summary: "A backtest's progress",
      tag: 'backtests',
      access: 'viewer',
      params: z.object({ id: z.string().max(60) }),
      response: { json: Job },
      handle: async ({ params }) => {
        const job = jobs.job(params.id);
        if (!job) throw new ApiError(404, `no backtest ${params.id} since the daemon started`);
        return job;
      },
    }),
    route({
      method: 'GET',
      path: '/api/backtests/{id}/report',
      summary: "A saved report as `npm run backtest -- --json` writes it: summary, every trade, rejections, breaker events",
      tag: 'backtests',
      access: 'viewer',
      params: z.object({ id: z.string().max(60) }),
      response: { contentType: 'application/json' },
      handle: async ({ params }) => {
        const text = await jobs.report(params.id);
        if (text === undefined) throw new ApiError(404, `no report ${params.id}`);
        return new RawReply((response) => writeBody(response, 200, 'application/json; charset=utf-8', text, { 'cache-control': 'no-store' }));
      },
    }),
  ];
}
