// A year of trading record for the dashboard benchmark: trades with their fills and days, AI answers, log lines
// and messages, written through the store's own repositories.
import type { SqlStore } from '../src/adapters/store/sql-store.js';
import type { Trade } from '../src/domain/trading.js';
import type { DecisionRecord } from '../src/ports/store.js';

export interface RecordSize {
  readonly trades: number;
  readonly decisions: number;
  readonly logs: number;
  readonly messages: number;
}

const DAY_MS = 86_400_000;
const SYMBOLS = ['BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT', 'BNB/USDT:USDT', 'XRP/USDT:USDT', 'DOGE/USDT:USDT'];
const ANALYSTS = ['claude', 'deepseek', 'grok'];

/** Deterministic draws, so every run fills the same record. */
function draws(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

export async function fillYear(store: SqlStore, end: Date, size: RecordSize, progress: (message: string) => void): Promise<void> {
  const random = draws(7);
  const start = end.getTime() - 365 * DAY_MS;
  let capital = 1_000;
  for (let n = 0; n < size.trades; n++) {
    const openedAt = new Date(start + (n / size.trades) * 365 * DAY_MS);
    const closedAt = new Date(openedAt.getTime() + (30 + random() * 600) * 60_000);
    const symbol = SYMBOLS[n % SYMBOLS.length] as string;
    const entry = 100 + random() * 50;
    const exit = entry * (1 + (random() - 0.45) * 0.06);
    const quantity = 2;
    const side = random() < 0.5 ? 'long' : 'short';
    const gross = (side === 'long' ? exit - entry : entry - exit) * quantity;
    const position = await store.positions.create({
      symbol,
      side,
      leverage: 3,
      quantity,
      entryPrice: entry,
      margin: (entry * quantity) / 3,
      stopPrice: side === 'long' ? entry * 0.94 : entry * 1.06,
      stopLossPct: 0.06,
      liquidationPrice: side === 'long' ? entry * 0.67 : entry * 1.33,
      takeProfitPrice: side === 'long' ? entry * 1.12 : entry * 0.88,
      entryFee: entry * quantity * 0.0005,
      funding: 0,
      openedAt,
      rationale: { confidence: 0.8, opportunityScore: 82, agreeing: ['claude', 'deepseek'], dissenting: [] },
    });
    const entryFee = entry * quantity * 0.0005;
    const exitFee = exit * quantity * 0.0005;
    const net = gross - entryFee - exitFee;
    const trade: Trade = {
      positionId: position.id,
      symbol,
      side,
      leverage: 3,
      quantity,
      entryPrice: entry,
      exitPrice: exit,
      margin: position.margin,
      stopPrice: position.stopPrice,
      liquidationPrice: position.liquidationPrice,
      entryFee,
      exitFee,
      funding: 0,
      grossPnl: gross,
      netPnl: net,
      pnlPct: net / position.margin,
      reason: net > 0 ? 'take_profit' : 'stop_loss',
      openedAt,
      closedAt,
      rationale: position.rationale,
      fills: [
        { id: `f${n}a`, orderId: `o${n}a`, clientOrderId: `ltd-${position.id}-entry`, symbol, side: side === 'long' ? 'buy' : 'sell', price: entry, quantity, fee: entryFee, time: openedAt },
        { id: `f${n}b`, orderId: `o${n}b`, clientOrderId: `ltd-${position.id}-close`, symbol, side: side === 'long' ? 'sell' : 'buy', price: exit, quantity, fee: exitFee, time: closedAt },
      ],
    };
    capital += net;
    await store.transaction(async (tx) => {
      await tx.trades.record(trade);
      await tx.positions.update(position.id, { status: 'closed', closedAt, closeReason: trade.reason });
      await tx.dailyPerformance.addTrade(closedAt.toISOString().slice(0, 10), trade, capital);
    });
    if (n % 500 === 499) progress(`${n + 1} of ${size.trades} trades written`);
  }
  const decisions: DecisionRecord[] = [];
  for (let n = 0; n < size.decisions; n++) {
    const time = new Date(start + (n / size.decisions) * 365 * DAY_MS);
    const outcome = random() < 0.9 ? 'valid' : random() < 0.5 ? 'rejected' : 'failed';
    const action = outcome === 'valid' ? (random() < 0.5 ? 'long' : 'short') : 'hold';
    decisions.push({
      time,
      symbol: SYMBOLS[n % SYMBOLS.length] as string,
      analyst: ANALYSTS[n % ANALYSTS.length] as string,
      purpose: 'entry',
      outcome,
      action,
      confidence: outcome === 'valid' ? 0.6 + random() * 0.3 : 0,
      ...(action === 'hold' ? {} : { side: action, leverage: 3, stopLossPct: 0.06, takeProfitPct: 0.12, riskReward: 2 }),
      reasoning: outcome === 'valid' ? 'Trend up on 1h and 4h, RSI not stretched, funding neutral.' : '',
      ...(outcome === 'valid' ? {} : { reason: outcome === 'failed' ? 'timeout after 10 s' : 'stop_loss_pct 0.5 is out of range' }),
      usage: { model: 'model-x', latencyMs: 800 + random() * 2000, inputTokens: 1800, outputTokens: 200, costUsd: 0.002, promptHash: `h${n}`, cached: false },
      price: 100,
    });
  }
  await store.decisions.recordMany(decisions);
  progress(`${size.decisions} answers written`);
  await store.logs.append(
    Array.from({ length: size.logs }, (_, n) => ({
      time: new Date(start + (n / size.logs) * 365 * DAY_MS),
      level: n % 4 === 0 ? 'error' : n % 2 === 0 ? 'warn' : 'info',
      module: 'bench',
      message: `log line ${n}`,
    })),
  );
  for (let n = 0; n < size.messages; n++) {
    await store.outbox.enqueue({ createdAt: new Date(start + (n / size.messages) * 365 * DAY_MS), eventType: n === 0 ? 'started' : 'position_update', text: `<b>message</b> ${n}`, payload: n === 0 ? { mode: 'live' } : {} });
  }
  progress(`${size.logs} log lines and ${size.messages} messages written`);
}
