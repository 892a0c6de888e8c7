// The Notifier the engine talks to: it renders the event and records it in the outbox, and that is all. Sending
// is the delivery worker's job, so a slow or broken Telegram never holds up a trade.
import type { TradingEvent } from '../../domain/events.js';
import { describeError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import type { Notifier, TransactionScope } from '../../ports/notifier.js';
import type { OutboxRepository } from '../../ports/store.js';
import { escapeHtml } from './render/html.js';
import { formatUtcTime } from './render/format.js';
import { renderEvent } from './render/render-event.js';
import type { RenderOptions } from './render/render-options.js';

/** Removes known secret values: from a text, and from every string of a value (a copy). */
export interface SecretHider {
  text(text: string): string;
  value(value: unknown): unknown;
}

export interface OutboxNotifierOptions {
  readonly outbox: OutboxRepository;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly render?: RenderOptions;
  /** Takes known secret values out of a message's text and its stored event before either is stored or sent. */
  readonly hideSecrets?: SecretHider;
  /** Called after each successful enqueue; typically the delivery worker's `wake`. */
  readonly onEnqueued?: () => void;
  /** Events kept in memory while the store is failing; the oldest are dropped beyond this. */
  readonly maxPending?: number;
  readonly retryMs?: number;
}

interface PendingEntry {
  readonly createdAt: Date;
  readonly eventType: string;
  readonly text: string;
  readonly payload: unknown;
}

export class OutboxNotifier implements Notifier {
  private readonly logger: Logger;
  private readonly pending: PendingEntry[] = [];
  private draining: Promise<void> | undefined;
  private retryTimer: AbortController | undefined;
  private closed = false;

  constructor(private readonly options: OutboxNotifierOptions) {
    this.logger = options.logger.child({ module: 'notifier' });
  }

  /**
   * Never throws on its own: a failure to render or to store is logged, and a failed store is retried from memory.
   * Within a transaction it writes through the transaction instead, and a failure fails the transaction (the caller
   * retries the whole booking); delivery is woken once the transaction has committed.
   */
  async notify(event: TradingEvent, within?: TransactionScope): Promise<void> {
    if (within) {
      await within.transaction.outbox.enqueue({ ...this.toEntry(event) });
      void within.committed.then(
        () => this.wakeDelivery(),
        () => undefined,
      );
      return;
    }
    this.pending.push(this.toEntry(event));
    this.trimPending();
    await this.drain();
  }

  /** Events still waiting for the store (it was failing). */
  pendingCount(): number {
    return this.pending.length;
  }

  /** Stops the background retry; events still pending are logged as lost. */
  close(): void {
    this.closed = true;
    this.retryTimer?.abort();
    if (this.pending.length > 0) {
      this.logger.error({ lost: this.pending.map((entry) => entry.eventType) }, 'notifier closed with events never stored');
    }
  }

  private toEntry(event: TradingEvent): PendingEntry {
    const createdAt = this.options.clock.now();
    try {
      const { text } = renderEvent(event, this.options.render);
      const hide = this.options.hideSecrets;
      return { createdAt, eventType: event.type, text: hide ? hide.text(text) : text, payload: hide ? hide.value(event) : event };
    } catch (error) {
      // A renderer bug must not swallow the event: the owner still learns that something happened.
      this.logger.error({ eventType: event.type, error: describeError(error) }, 'could not render event');
      const text = `ℹ️ <b>${escapeHtml(event.type)}</b> (details could not be rendered)\n🕒 ${formatUtcTime(event.at)}`;
      return { createdAt, eventType: event.type, text, payload: event };
    }
  }

  private trimPending(): void {
    const max = this.options.maxPending ?? 100;
    while (this.pending.length > max) {
      const dropped = this.pending.shift();
      this.logger.error({ eventType: dropped?.eventType }, 'notification dropped: the store has been failing too long');
    }
  }

  /** Stores pending events in order; one drain at a time so order holds under concurrent notify calls. */
  private async drain(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
    if (this.pending.length === 0) return;
    this.draining = this.drainOnce().finally(() => {
      this.draining = undefined;
    });
    await this.draining;
  }

  private async drainOnce(): Promise<void> {
    while (this.pending.length > 0) {
      const entry = this.pending[0]!;
      try {
        await this.options.outbox.enqueue({ ...entry });
      } catch (error) {
        this.logger.error(
          { eventType: entry.eventType, pending: this.pending.length, error: describeError(error) },
          'could not store notification; keeping it in memory',
        );
        this.scheduleRetry();
        return;
      }
      this.pending.shift();
      this.wakeDelivery();
    }
  }

  private wakeDelivery(): void {
    try {
      this.options.onEnqueued?.();
    } catch (error) {
      this.logger.warn({ error: describeError(error) }, 'could not wake the delivery worker');
    }
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer !== undefined) return;
    const timer = new AbortController();
    this.retryTimer = timer;
    void this.options.clock.sleep(this.options.retryMs ?? 5000, timer.signal).then(async () => {
      this.retryTimer = undefined;
      if (timer.signal.aborted || this.closed) return;
      await this.drain();
    });
  }
}
