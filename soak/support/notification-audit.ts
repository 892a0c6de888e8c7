// What the owner should have read, compared with what the Telegram Bot API received: every message the daemon put
// in its outbox arrives once, in the order the events happened, and every booked trade was announced (opened and
// closed).
import { splitMessage } from '../../src/adapters/notifier/render/split-message.js';
import type { FakeBotApi } from '../../test/peers/telegram/fake-bot-api.js';
import type { OutboxRow, SoakDatabase } from './soak-database.js';

export interface NotificationAudit {
  readonly outboxRows: number;
  readonly delivered: number;
  /** Rows never marked delivered. */
  readonly undelivered: readonly OutboxRow[];
  /** Delivered rows whose text never reached Telegram. */
  readonly missing: readonly OutboxRow[];
  /** Rows whose text reached Telegram more than once. */
  readonly repeated: readonly OutboxRow[];
  /** Positions of the Telegram sequence where the order differs from the outbox's. */
  readonly outOfOrder: number;
  /** Booked trades without a "position closed" message in the outbox (delivery is judged with the other rows). */
  readonly unannounced: readonly string[];
  /** Booked trades without a "position opened" message (an entry a crash interrupted is announced as re-protected). */
  readonly openedUnannounced: readonly string[];
  /** Telegram messages that match no outbox row (command replies, or text from nowhere). */
  readonly unexplained: number;
}

/** The texts Telegram received, in arrival order: message texts and photo captions. */
export function receivedTexts(telegram: FakeBotApi): string[] {
  return telegram.sent.filter((message) => message.method !== 'editMessageText' && message.raw !== '').map((message) => message.raw);
}

function partsOf(row: OutboxRow): string[] {
  return splitMessage(row.text);
}

function positionIdOf(row: OutboxRow): string | undefined {
  const payload = row.payload as { position?: { id?: unknown }; trade?: { positionId?: unknown } };
  const id = row.eventType === 'position_opened' ? payload.position?.id : row.eventType === 'position_closed' ? payload.trade?.positionId : undefined;
  return id === undefined ? undefined : String(id);
}

export async function auditNotifications(database: SoakDatabase, telegram: FakeBotApi): Promise<NotificationAudit> {
  const rows = await database.outbox();
  const trades = await database.trades();
  const received = receivedTexts(telegram);
  const counts = new Map<string, number>();
  for (const text of received) counts.set(text, (counts.get(text) ?? 0) + 1);
  const expectedCounts = new Map<string, number>();
  const delivered = rows.filter((row) => row.deliveredAt !== undefined && !row.lastError?.startsWith('dropped: '));
  for (const row of delivered) for (const part of partsOf(row)) expectedCounts.set(part, (expectedCounts.get(part) ?? 0) + 1);

  const missing: OutboxRow[] = [];
  const repeated: OutboxRow[] = [];
  for (const row of delivered) {
    const parts = partsOf(row);
    // Identical texts (two equal alerts in one minute) are judged together: as many arrivals as rows.
    if (parts.some((part) => (counts.get(part) ?? 0) < (expectedCounts.get(part) ?? 0))) missing.push(row);
    else if (parts.some((part) => (counts.get(part) ?? 0) > (expectedCounts.get(part) ?? 0))) repeated.push(row);
  }
  const expected = delivered.flatMap(partsOf);
  const known = new Set(expected);
  const arrived = received.filter((text) => known.has(text));
  // Order: the arrivals, with repeats removed, against the outbox order.
  const seen = new Map<string, number>();
  const firstArrivals = arrived.filter((text) => {
    const n = (seen.get(text) ?? 0) + 1;
    seen.set(text, n);
    return n <= (expectedCounts.get(text) ?? 0);
  });
  let outOfOrder = 0;
  for (let i = 0; i < Math.min(firstArrivals.length, expected.length); i += 1) if (firstArrivals[i] !== expected[i]) outOfOrder += 1;

  // A trade is announced when its message was written (in the transaction that booked it) and not refused. Whether
  // it then arrived is the delivery check's question, with the same grace for the last minutes as every message:
  // a close booked just before the stop may still be queued behind Telegram's one-a-second pace.
  const announced = new Map<string, Set<string>>();
  for (const row of rows.filter((row) => !row.lastError?.startsWith('dropped: '))) {
    const id = positionIdOf(row);
    if (id === undefined) continue;
    const kinds = announced.get(id) ?? new Set<string>();
    kinds.add(row.eventType);
    announced.set(id, kinds);
  }
  const without = (kind: string): string[] =>
    trades.filter((trade) => !announced.get(trade.positionId)?.has(kind)).map((trade) => trade.positionId);
  return {
    outboxRows: rows.length,
    delivered: delivered.length,
    undelivered: rows.filter((row) => row.deliveredAt === undefined),
    missing,
    repeated,
    outOfOrder,
    unannounced: without('position_closed'),
    openedUnannounced: without('position_opened'),
    unexplained: received.filter((text) => !known.has(text)).length,
  };
}
