// The API's wire format, as zod schemas: the OpenAPI document is generated from them, request input is parsed by
// them, and every JSON answer is encoded through them (dates become ISO strings on the way out).
import { z } from 'zod';

/** The instants a date can name here: a year 0 or, after its offset, a year 10000 is refused, not sent to the store. */
const EARLIEST = new Date('1970-01-01T00:00:00Z');
const LATEST = new Date('9999-12-31T23:59:59.999Z');
const inRange = (date: Date): boolean => date.getTime() >= EARLIEST.getTime() && date.getTime() <= LATEST.getTime();
const RANGE_MESSAGE = 'a date from 1970 to 9999 (UTC)';

export const dateTime = z.codec(z.iso.datetime({ offset: true }), z.date().refine(inRange, RANGE_MESSAGE), {
  decode: (text) => new Date(text),
  encode: (date) => date.toISOString(),
});

/** Arrays are read-only on the way out: the domain's lists are. */
export const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();

const money = z.number().describe('USDT');
const fraction = z.number().describe('a fraction: 0.05 = 5%');
const side = z.enum(['long', 'short']);

export const Rationale = z.object({
  confidence: z.number(),
  opportunityScore: z.number(),
  agreeing: list(z.string()),
  dissenting: list(z.string()),
});

export const Position = z.object({
  id: z.string(),
  symbol: z.string(),
  side,
  status: z.enum(['opening', 'open', 'closing', 'closed', 'failed']),
  leverage: z.number(),
  quantity: z.number(),
  entryPrice: z.number(),
  margin: money,
  stopPrice: z.number(),
  stopLossPct: fraction,
  liquidationPrice: z.number(),
  takeProfitPrice: z.number().optional(),
  entryFee: money,
  funding: money,
  openedAt: dateTime,
  rationale: Rationale,
  stopOrderId: z.string().optional(),
  stopClientOrderId: z.string().optional().describe('client id of the stop that protects the position now, once a replacement was verified; absent while the first stop rests'),
  bestPrice: z.number().optional(),
  lastUpdateAt: dateTime.optional(),
  lastExitCheckAt: dateTime.optional(),
  closedAt: dateTime.optional(),
  closeReason: z.string().optional(),
});

export const Order = z.object({
  clientOrderId: z.string(),
  positionId: z.string(),
  symbol: z.string(),
  purpose: z.enum(['entry', 'stop', 'close', 'tp']),
  side: z.enum(['buy', 'sell']),
  type: z.enum(['market', 'stop_market', 'limit', 'take_profit_market']),
  limitPrice: z.number().optional(),
  quantity: z.number(),
  triggerPrice: z.number().optional(),
  status: z.string(),
  exchangeOrderId: z.string().optional(),
  filledQuantity: z.number().optional(),
  averagePrice: z.number().optional(),
  fee: money.optional(),
  error: z.string().optional(),
  createdAt: dateTime,
  updatedAt: dateTime,
});

const Level = z.object({
  price: z.number(),
  /** Price move from the current price to the level, as a fraction of the current price (signed). */
  distancePct: fraction,
  /** The position's P&L at the level, from its entry price, before fees and funding. */
  pnlUsd: money,
});

export const LiquidationMeter = z.object({
  price: z.number(),
  entry: Level,
  stop: Level,
  target: Level.optional(),
  liquidation: Level,
  /** 0 at liquidation, 1 at the target (or at the entry's mirror of liquidation without a target). */
  position: z.number(),
});

export const OpenPosition = z.object({
  position: Position,
  price: z.number().optional(),
  unrealizedPnl: money.optional(),
  unrealizedPct: fraction.optional(),
  meter: LiquidationMeter.optional(),
  orders: list(Order),
});

export const Fill = z.object({
  id: z.string(),
  orderId: z.string(),
  clientOrderId: z.string().optional(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  price: z.number(),
  quantity: z.number(),
  fee: money,
  time: dateTime,
});

export const Trade = z.object({
  positionId: z.string(),
  symbol: z.string(),
  side,
  leverage: z.number(),
  quantity: z.number(),
  entryPrice: z.number(),
  exitPrice: z.number(),
  margin: money,
  stopPrice: z.number(),
  liquidationPrice: z.number(),
  entryFee: money,
  exitFee: money,
  funding: money,
  grossPnl: money,
  netPnl: money,
  pnlPct: fraction,
  reason: z.string(),
  openedAt: dateTime,
  closedAt: dateTime,
  rationale: Rationale,
  fills: list(Fill),
});

export const Breaker = z.object({ breaker: z.string(), detail: z.string(), until: dateTime.optional() });

export const Status = z.object({
  mode: z.string(),
  startedAt: dateTime,
  now: dateTime,
  capital: money,
  /** The whole account's balance, which the daily equity points are (capital is at most INITIAL_CAPITAL in live mode). */
  accountBalance: money,
  /** Read with the balance, so a position the daemon closed is never counted both in the balance and as open P&L. */
  equity: money.optional().describe("account balance plus the open positions' P&L at the last price (as /balance in Telegram); absent while a price is missing"),
  analysts: list(z.string()),
  breakers: list(Breaker),
  entriesPaused: z.boolean(),
  openPositions: z.number().int(),
  nextScanAt: dateTime.optional().describe('absent while entries are blocked (a breaker or a pause) or the open positions are at their limit, and after a start until the loop schedules its first scan'),
  lastTickAt: dateTime.optional().describe("the loop's last step; absent after a start until its first"),
  pnl: z.object({ today: money, week: money, allTime: money, tradesAllTime: z.number().int() }),
  capitalUsed: z.object({ margin: money, fraction }),
});

export const Vote = z.object({
  analyst: z.string(),
  model: z.string(),
  purpose: z.enum(['entry', 'exit']),
  outcome: z.enum(['valid', 'rejected', 'failed']),
  action: z.string(),
  confidence: z.number(),
  side: side.optional(),
  leverage: z.number().optional(),
  stopLossPct: fraction.optional(),
  takeProfitPct: fraction.optional(),
  reasoning: z.string(),
  reason: z.string().optional().describe('why the answer was rejected or failed'),
  costUsd: money,
  latencyMs: z.number(),
  cached: z.boolean(),
  time: dateTime,
});

export const ScanMarket = z.object({
  symbol: z.string(),
  votes: list(Vote),
  /** The side most valid votes took, with how many took it. */
  leaning: z.enum(['long', 'short', 'none']),
  agreeing: z.number().int(),
  meanConfidence: z.number(),
});

export const Rejection = z.object({
  time: dateTime,
  symbol: z.string(),
  side,
  price: z.number(),
  confidence: z.number(),
  opportunityScore: z.number(),
  reasons: list(z.string()),
});

export const Scan = z.object({
  startedAt: dateTime,
  endedAt: dateTime,
  purpose: z.enum(['entry', 'exit']),
  markets: list(ScanMarket),
  costUsd: money,
  rejections: list(Rejection),
  /** Positions opened as this scan's outcome. */
  opened: list(z.object({ positionId: z.string(), symbol: z.string(), side })),
});

export const ModelWeek = z.object({
  analyst: z.string(),
  weekStart: dateTime,
  answers: z.number().int(),
  failed: z.number().int(),
  rejected: z.number().int(),
  directional: z.number().int(),
  scored: z.number().int(),
  hits: z.number().int(),
  hitRate: z.number().optional(),
  costUsd: money,
  meanLatencyMs: z.number().optional(),
});

export const ModelRecord = z.object({
  analyst: z.string(),
  votes: z.number().int(),
  scored: z.number().int(),
  hits: z.number().int(),
  hitRate: z.number().optional(),
  avgConfidenceWhenRight: z.number().optional(),
  avgConfidenceWhenWrong: z.number().optional(),
  costUsd: money,
  failed: z.number().int(),
  rejected: z.number().int(),
});

export const LogEntry = z.object({
  time: dateTime,
  level: z.string(),
  module: z.string().optional(),
  message: z.string(),
  context: z.record(z.string(), z.unknown()).optional(),
});

export const Message = z.object({
  id: z.string(),
  createdAt: dateTime,
  eventType: z.string(),
  text: z.string().describe('as sent to the messenger (Telegram HTML)'),
  deliveredAt: dateTime.optional(),
});

export const Candle = z.object({ time: z.number().describe('open time, epoch seconds'), open: z.number(), high: z.number(), low: z.number(), close: z.number() });

export const SessionInfo = z.object({
  authenticated: z.boolean(),
  role: z.enum(['owner', 'viewer']).optional(),
  csrfToken: z.string().optional().describe('send it back in the X-CSRF-Token header of every POST'),
  expiresAt: dateTime.optional(),
  setupSuggested: z.boolean().describe('no configuration file yet: the setup wizard is the place to start'),
});

export const Done = z.object({ ok: z.literal(true), message: z.string() });

export const ApiErrorBody = z.object({ error: z.string(), issues: list(z.string()).optional() });

/** Query strings: every value arrives as text. */
export const queryDate = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((text) => new Date(text.length === 10 ? `${text}T00:00:00Z` : text))
  .refine(inRange, RANGE_MESSAGE);
/**
 * The end of a range, exclusive: a bare date is the whole of that day (a date picker's "to 1 October" includes it),
 * so it means 00:00 UTC of the next day; a time is taken as it is.
 */
export const queryDateEnd = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((text) => (text.length === 10 ? new Date(Math.min(Date.parse(`${text}T00:00:00Z`) + 86_400_000, LATEST.getTime())) : new Date(text)))
  .refine(inRange, RANGE_MESSAGE);
export const queryInt = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const AccountStanding = z.object({
  name: z.string(),
  since: dateTime,
  startEquity: money,
  trades: z.number().int(),
  netPnl: money,
  returnPct: fraction,
  maxDrawdownPct: fraction,
  winRate: fraction,
  openPositions: z.number().int(),
});

export const ShadowBoard = z.object({
  now: dateTime,
  main: AccountStanding.optional(),
  shadows: list(
    AccountStanding.extend({
      changes: z.record(z.string(), z.string()),
      main: AccountStanding,
      problem: z.string().optional(),
      comparison: z.object({
        verdict: z.enum(['better', 'worse', 'not enough evidence']),
        explanation: z.string(),
        meanDifference: fraction.optional(),
        lowerBound: fraction.optional(),
        upperBound: fraction.optional(),
      }),
    }),
  ),
  rule: z.object({ checkpoints: z.array(z.number().int()).readonly(), errorRate: z.number(), resamples: z.number().int() }),
});
