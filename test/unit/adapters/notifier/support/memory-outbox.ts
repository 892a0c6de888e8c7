// An in-memory OutboxRepository with the same ordering rules as the real one, and failures on request.
import { EventEmitter } from 'node:events';
import { untilNotDue } from '../../../../../src/adapters/store/repositories/outbox.js';
import type { OutboxMessage, OutboxRepository } from '../../../../../src/ports/store.js';

type Operation = 'enqueue' | 'due' | 'markDelivered' | 'markFailed' | 'backlog';

interface Row {
  id: string;
  createdAt: Date;
  eventType: string;
  text: string;
  payload: unknown;
  attempts: number;
  nextAttemptAt: Date;
  deliveredAt?: Date;
  lastError?: string;
}

export class MemoryOutbox implements OutboxRepository {
  readonly rows: Row[] = [];
  private readonly failures = new Map<Operation, number>();
  private nextId = 1;
  private readonly events = new EventEmitter();

  /** Resolves once `condition` holds, checked after every write. */
  async until(condition: (outbox: MemoryOutbox) => boolean): Promise<void> {
    if (condition(this)) return;
    await new Promise<void>((resolve) => {
      const listener = (): void => {
        if (!condition(this)) return;
        this.events.off('change', listener);
        resolve();
      };
      this.events.on('change', listener);
    });
  }

  /** The next `count` calls of `operation` reject, as a database that is down would. */
  failNext(operation: Operation, count = 1): void {
    this.failures.set(operation, (this.failures.get(operation) ?? 0) + count);
  }

  async enqueue(message: { createdAt: Date; eventType: string; text: string; payload: unknown }): Promise<OutboxMessage> {
    this.maybeFail('enqueue');
    const row: Row = { id: String(this.nextId++), ...message, attempts: 0, nextAttemptAt: message.createdAt };
    this.rows.push(row);
    this.events.emit('change');
    return { ...row };
  }

  async due(now: Date, limit: number): Promise<OutboxMessage[]> {
    this.maybeFail('due');
    const waiting = this.rows
      .filter((row) => row.deliveredAt === undefined)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || Number(a.id) - Number(b.id))
      .slice(0, limit)
      .map((row) => ({ ...row }));
    return untilNotDue(waiting, now);
  }

  async markDelivered(id: string, at: Date): Promise<void> {
    this.maybeFail('markDelivered');
    this.row(id).deliveredAt = at;
    this.events.emit('change');
  }

  async markFailed(id: string, error: string, nextAttemptAt: Date): Promise<void> {
    this.maybeFail('markFailed');
    const row = this.row(id);
    row.attempts += 1;
    row.lastError = error;
    row.nextAttemptAt = nextAttemptAt;
    this.events.emit('change');
  }

  async backlog(): Promise<number> {
    this.maybeFail('backlog');
    return this.rows.filter((row) => row.deliveredAt === undefined).length;
  }

  /** Delivery never prunes; retention is tested on the stores themselves (the store contract). */
  async pruneBefore(): Promise<number> {
    throw new Error('the notifier does not prune the outbox');
  }

  private row(id: string): Row {
    const row = this.rows.find((candidate) => candidate.id === id);
    if (row === undefined) throw new Error(`no outbox row ${id}`);
    return row;
  }

  private maybeFail(operation: Operation): void {
    const remaining = this.failures.get(operation) ?? 0;
    if (remaining <= 0) return;
    this.failures.set(operation, remaining - 1);
    throw new Error(`store unavailable (${operation})`);
  }
}
