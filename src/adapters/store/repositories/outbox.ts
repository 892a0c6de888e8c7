import { OUTBOX_KEPT_EVENT, type OutboxMessage, type OutboxRepository } from '../../../ports/store.js';
import type { SqlExecutor } from '../sql.js';
import { fromNullableDate, fromNullableText, fromNumeric, storableText, toDate, toJson } from '../values.js';
import { deleteOldest, isRowId } from './sql-fragments.js';

const COLUMNS = `id::text AS id, created_at, event_type, text, payload, attempts, next_attempt_at, delivered_at, last_error`;

type Row = Record<string, unknown>;

function toMessage(row: Row): OutboxMessage {
  const deliveredAt = fromNullableDate(row.delivered_at);
  const lastError = fromNullableText(row.last_error);
  return {
    id: String(row.id),
    createdAt: toDate(row.created_at),
    eventType: String(row.event_type),
    text: String(row.text),
    payload: row.payload,
    attempts: fromNumeric(row.attempts),
    nextAttemptAt: toDate(row.next_attempt_at),
    ...(deliveredAt ? { deliveredAt } : {}),
    ...(lastError === undefined ? {} : { lastError }),
  };
}

export class SqlOutboxRepository implements OutboxRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** A new message is due at once. */
  async enqueue(message: { createdAt: Date; eventType: string; text: string; payload: unknown }): Promise<OutboxMessage> {
    const { rows } = await this.db.query<Row>(
      `INSERT INTO notification_outbox (created_at, event_type, text, payload, next_attempt_at)
       VALUES ($1, $2, $3, $4, $1) RETURNING ${COLUMNS}`,
      [message.createdAt, message.eventType, storableText(message.text), toJson(message.payload)],
    );
    return toMessage(rows[0] as Row);
  }

  async due(now: Date, limit: number): Promise<OutboxMessage[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM notification_outbox
       WHERE delivered_at IS NULL
       ORDER BY created_at, id LIMIT $1`,
      [Math.max(0, Math.floor(limit))],
    );
    return untilNotDue(rows.map(toMessage), now);
  }

  /** Unknown ids are ignored: the worker only marks what `due` gave it. */
  async markDelivered(id: string, at: Date): Promise<void> {
    if (!isRowId(id)) return;
    await this.db.query('UPDATE notification_outbox SET delivered_at = $2 WHERE id = $1', [id, at]);
  }

  async markFailed(id: string, error: string, nextAttemptAt: Date): Promise<void> {
    if (!isRowId(id)) return;
    await this.db.query(
      `UPDATE notification_outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3
       WHERE id = $1 AND delivered_at IS NULL`,
      [id, error, nextAttemptAt],
    );
  }

  async backlog(): Promise<number> {
    const { rows } = await this.db.query<{ count: unknown }>(
      'SELECT count(*) AS count FROM notification_outbox WHERE delivered_at IS NULL',
    );
    return Number(rows[0]?.count ?? 0);
  }

  pruneBefore(before: Date, limit: number): Promise<number> {
    return deleteOldest(this.db, 'notification_outbox', before, limit, { column: 'created_at', only: `delivered_at IS NOT NULL AND event_type <> '${OUTBOX_KEPT_EVENT}'` });
  }
}

/** The messages in order up to the first one whose retry is still ahead. */
export function untilNotDue(oldestFirst: readonly OutboxMessage[], now: Date): OutboxMessage[] {
  const waiting = oldestFirst.findIndex((message) => message.nextAttemptAt.getTime() > now.getTime());
  return waiting === -1 ? [...oldestFirst] : oldestFirst.slice(0, waiting);
}
