// Read-only endpoints of the overview: status, open positions with their liquidation meter, equity, risk budget,
// AI cost, configuration (secrets masked), warnings and errors, messages sent.
import { z } from 'zod';
import { dailyLossLeft } from '../../../domain/circuit-breakers.js';
import { grossPnl } from '../../../domain/money.js';
import { startOfUtcDay, startOfUtcWeek, utcDay } from '../../../domain/time.js';
import type { DaemonStatus, PositionView } from '../../../ports/control.js';
import type { LogEntry as StoredLogEntry } from '../../../ports/store.js';
import { cachedFor, type DashboardData } from './dashboard-data.js';
import { liquidationMeter } from './presentation.js';
import { route, type Route } from './route.js';
import { Breaker, dateTime, list, LogEntry, Message, OpenPosition, queryInt, Status } from './schemas.js';

const MODE_CACHE_MS = 60_000;

const BreakerState = z.object({
  day: z.string(),
  dayStartCapital: z.number(),
  realizedToday: z.number(),
  consecutiveLosses: z.number(),
  dailyLossTripped: z.boolean(),
  lossStreakPaused: z.boolean(),
  manualPause: z.boolean(),
});

export async function openPositionsWithOrders(data: DashboardData, views?: readonly PositionView[]): Promise<z.output<typeof OpenPosition>[]> {
  const open = views ?? (await data.control.openPositions());
  return Promise.all(
    open.map(async (view) => ({
      ...view,
      ...(view.price === undefined ? {} : { meter: liquidationMeter(view.position, view.price, view.markPrice) }),
      orders: await data.store.orders.forPosition(view.position.id),
    })),
  );
}

/**
 * The balance plus the open positions' P&L at their last price (before fees, as the exchange and /balance in Telegram
 * count it), both from the one status read: undefined when a position has no price, as a partial sum would pass for
 * the whole.
 */
function equityOf(status: DaemonStatus): number | undefined {
  let open = 0;
  for (const { position, price } of status.openPositions) {
    if (price === undefined) return undefined;
    open += grossPnl(position.side, position.entryPrice, price, position.quantity);
  }
  return status.accountBalance + open;
}

/**
 * A log line as the dashboard gives it: its stack traces stay in the server's log. They name install paths, hosts and
 * internals, the page shows none of them, and the read-only login must not read them. An error object keeps its message.
 */
function withoutStackTraces(entry: StoredLogEntry): StoredLogEntry {
  if (entry.context === undefined) return entry;
  const context: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry.context)) {
    if (key === 'stack') continue;
    if (key === 'err' && typeof value === 'object' && value !== null) {
      const message = (value as Record<string, unknown>)['message'];
      if (typeof message === 'string') context[key] = { message };
      continue;
    }
    context[key] = value;
  }
  return { ...entry, context };
}

export function overviewRoutes(data: DashboardData): Route[] {
  const modeChanges = cachedFor(MODE_CACHE_MS, data.clock, () => data.reads.modeChanges());
  return [
    route({
      method: 'GET',
      path: '/api/status',
      summary: "Mode, capital, today's P&L, capital in use, breakers, next scan",
      tag: 'overview',
      access: 'viewer',
      response: { json: Status },
      handle: async () => {
        const now = data.clock.now();
        const [status, pnl] = await Promise.all([data.control.status(), data.reads.pnlTotals(startOfUtcDay(now), startOfUtcWeek(now))]);
        const margin = status.openPositions.reduce((sum, view) => sum + view.position.margin, 0);
        const equity = equityOf(status);
        return {
          mode: status.mode,
          startedAt: status.startedAt,
          now: status.now,
          capital: status.capital,
          accountBalance: status.accountBalance,
          ...(equity === undefined ? {} : { equity }),
          analysts: [...status.analysts],
          breakers: status.breakers.map((b) => ({ ...b })),
          entriesPaused: status.breakers.length > 0,
          openPositions: status.openPositions.length,
          ...(status.nextScanAt ? { nextScanAt: status.nextScanAt } : {}),
          ...(status.lastTickAt ? { lastTickAt: status.lastTickAt } : {}),
          pnl,
          capitalUsed: { margin, fraction: status.capital > 0 ? margin / status.capital : 0 },
        };
      },
    }),
    route({
      method: 'GET',
      path: '/api/positions',
      summary: 'Open positions: price, unrealised P&L, liquidation meter, their orders',
      tag: 'overview',
      access: 'viewer',
      response: { json: z.object({ positions: list(OpenPosition) }) },
      handle: async () => ({ positions: await openPositionsWithOrders(data) }),
    }),
    route({
      method: 'GET',
      path: '/api/equity',
      summary: 'Equity at the end of each UTC day, each point marked with the mode the daemon ran in',
      tag: 'overview',
      access: 'viewer',
      response: {
        json: z.object({
          points: list(z.object({ time: dateTime, equity: z.number(), mode: z.string() })),
          modeChanges: list(z.object({ at: dateTime, mode: z.string() })),
        }),
      },
      handle: async () => {
        const now = data.clock.now();
        const [days, changes] = await Promise.all([data.store.dailyPerformance.range('1970-01-01', utcDay(now)), modeChanges()]);
        const modeAt = (time: Date): string => changes.filter((change) => change.at <= time).pop()?.mode ?? changes[0]?.mode ?? 'unknown';
        const points = days.map((day) => {
          const time = new Date(`${day.day}T23:59:59Z`);
          return { time: time > now ? now : time, equity: day.endCapital, mode: modeAt(time > now ? now : time) };
        });
        return { points, modeChanges: [...changes] };
      },
    }),
    route({
      method: 'GET',
      path: '/api/risk',
      summary: 'Breakers, the daily loss budget left, the losing streak, and the risk limits',
      tag: 'overview',
      access: 'viewer',
      response: {
        json: z.object({
          breakers: list(Breaker),
          state: BreakerState.optional(),
          limits: z.object({
            maxLeverage: z.number(),
            positionSizePct: z.number(),
            maxLossAtStopPct: z.number(),
            dailyLossLimitPct: z.number(),
            maxConsecutiveLosses: z.number(),
            maxOpenPositions: z.number(),
          }),
          budget: z.object({ dailyLossLimitUsd: z.number().optional(), dailyLossLeftUsd: z.number().optional(), lossesBeforePause: z.number().optional() }),
        }),
      },
      handle: async () => {
        const [status, saved] = await Promise.all([data.control.status(), data.store.state.get('breakers')]);
        const parsed = BreakerState.safeParse(saved);
        const state = parsed.success ? parsed.data : undefined;
        const limitUsd = state ? state.dayStartCapital * data.limits.dailyLossLimitPct : undefined;
        return {
          breakers: status.breakers.map((b) => ({ ...b })),
          ...(state ? { state } : {}),
          limits: { ...data.limits },
          budget:
            state && limitUsd !== undefined
              ? {
                  dailyLossLimitUsd: limitUsd,
                  dailyLossLeftUsd: dailyLossLeft(limitUsd, state.realizedToday, state.dailyLossTripped),
                  lossesBeforePause: Math.max(0, data.limits.maxConsecutiveLosses - state.consecutiveLosses),
                }
              : {},
        };
      },
    }),
    route({
      method: 'GET',
      path: '/api/costs',
      summary: "AI spend today, this month, and the month projected; each shadow strategy's extra calls apart",
      tag: 'overview',
      access: 'viewer',
      response: {
        json: z.object({
          today: z.number(),
          monthToDate: z.number(),
          projectedMonth: z.number(),
          shadows: list(z.object({ name: z.string(), today: z.number(), monthToDate: z.number(), projectedMonth: z.number() })),
          budget: z
            .object({ limitUsd: z.number(), spentUsd: z.number(), reached: z.boolean(), resumesAt: dateTime })
            .optional()
            .describe('AI_MONTHLY_BUDGET_USD and the month\'s spend of every account against it; absent without a cap'),
        }),
      },
      handle: async () => data.control.aiCost(),
    }),
    route({
      method: 'GET',
      path: '/api/config',
      summary: 'Effective settings; secrets only as set or not set',
      tag: 'overview',
      access: 'viewer',
      response: { json: z.object({ settings: z.record(z.string(), z.string()), secrets: list(z.object({ name: z.string(), set: z.boolean() })) }) },
      handle: async () => ({ settings: { ...data.control.effectiveConfig() }, secrets: data.secrets.map((s) => ({ ...s })) }),
    }),
    route({
      method: 'GET',
      path: '/api/logs',
      summary: 'Recent warnings and errors from the log table, newest first',
      tag: 'overview',
      access: 'viewer',
      query: z.object({
        level: z.enum(['warn', 'error', 'all']).default('all'),
        limit: queryInt(1, 500, 100),
        before: dateTime.optional(),
      }),
      response: { json: z.object({ entries: list(LogEntry) }) },
      handle: async ({ query }) => {
        const levels = query.level === 'all' ? ['warn', 'error', 'fatal'] : query.level === 'error' ? ['error', 'fatal'] : ['warn'];
        const entries = await data.reads.logs({ levels, limit: query.limit, ...(query.before ? { before: query.before } : {}) });
        return { entries: entries.map(withoutStackTraces) };
      },
    }),
    route({
      method: 'GET',
      path: '/api/messages',
      summary: 'Messages sent to the owner (as rendered for Telegram), newest first',
      tag: 'overview',
      access: 'viewer',
      query: z.object({ limit: queryInt(1, 200, 50) }),
      response: { json: z.object({ messages: list(Message) }) },
      handle: async ({ query }) => ({ messages: await data.reads.messages(query.limit) }),
    }),
  ];
}
