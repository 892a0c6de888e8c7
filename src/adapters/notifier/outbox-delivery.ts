// Sends what the outbox holds, oldest first, one message at a time. A message is marked delivered only after the
// sender accepted it; a failure holds back everything behind it, so the owner reads events in the order they
// happened. All waiting is on the injected clock.
import { describeError, OperationalError, RejectedError, TemporaryError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import type { OutboxMessage, OutboxRepository } from '../../ports/store.js';
import { ChatPacer } from './chat-pacer.js';
import type { ChartSize } from './chart/equity-chart.js';
import type { MessageSender, OutgoingImage } from './message-sender.js';
import { imageForOutboxMessage } from './outbox-images.js';

export interface OutboxDeliveryOptions {
  readonly outbox: OutboxRepository;
  readonly sender: MessageSender;
  readonly clock: Clock;
  readonly logger: Logger;
  /** At most one message per this interval to the same chat. */
  readonly minIntervalMs: number;
  /** Shared with command replies so both obey one limit; made from `minIntervalMs` when absent. */
  readonly pacer?: ChatPacer;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** How often an idle worker looks for messages nobody woke it for (e.g. left over from a previous run). */
  readonly idlePollMs?: number;
  readonly batchSize?: number;
  readonly chartSize?: ChartSize;
}

export interface PassResult {
  readonly delivered: number;
  /** Epoch ms before which nothing may be sent (a failure is being backed off). */
  readonly blockedUntil?: number;
  /** More messages may be due right away. */
  readonly more: boolean;
}

export interface FlushResult {
  readonly delivered: number;
  /** Undelivered messages left in the outbox; undefined if the store could not say. */
  readonly remaining: number | undefined;
}

/** Written into `lastError` so a message Telegram refused as HTML stays plain text across retries and restarts. */
export const PLAIN_TEXT_MARK = 'plain-text retry: ';
export const DROPPED_MARK = 'dropped: ';

type Attempt = 'delivered' | 'rejected' | 'blocked' | 'aborted';

export class OutboxDelivery {
  private readonly logger: Logger;
  private readonly pacer: ChatPacer;
  private loop: Promise<void> | undefined;
  private loopAbort: AbortController | undefined;
  private wakeAbort: AbortController | undefined;
  /** Cuts off a call in flight; used only when a flush runs out of time, so a stop never abandons a send midway. */
  private sendAbort = new AbortController();
  private wakeRequested = false;
  private blockedUntil = 0;
  private consecutiveFailures = 0;
  private deliveredTotal = 0;
  /** Telegram's words for the last refusal, kept for the log line and the row when a message is dropped. */
  private lastRejection = '';
  /** Sent, but the store failed to record it: this process never sends it again and keeps trying to record it. */
  private readonly sentUnrecorded = new Map<string, Date>();

  constructor(private readonly options: OutboxDeliveryOptions) {
    this.logger = options.logger.child({ module: 'notifier-delivery' });
    this.pacer = options.pacer ?? new ChatPacer(options.clock, options.minIntervalMs);
  }

  /** Starts delivering in the background. */
  start(): void {
    if (this.loop !== undefined) return;
    const abort = new AbortController();
    this.loopAbort = abort;
    this.loop = this.run(abort.signal);
  }

  /** Something was enqueued: look now rather than at the next idle poll. */
  wake(): void {
    this.wakeRequested = true;
    this.wakeAbort?.abort();
  }

  /** Stops the background loop after the message in flight, if any (that one is allowed to finish). */
  async stop(): Promise<void> {
    this.loopAbort?.abort();
    this.wakeAbort?.abort();
    await this.loop;
    this.loop = undefined;
  }

  /**
   * For shutdown: stops the loop, then delivers what it can within `timeoutMs` of clock time. At the deadline a
   * call still in flight is cut off; its message stays due for the next start.
   */
  async flush(timeoutMs: number): Promise<FlushResult> {
    const { clock } = this.options;
    const deadline = clock.now().getTime() + timeoutMs;
    const expired = new AbortController();
    const timer = new AbortController();
    const sendAbort = this.sendAbort;
    void clock.sleep(timeoutMs, timer.signal).then(() => {
      // The timer is also woken when the flush ends early; that is no deadline.
      if (timer.signal.aborted) return;
      expired.abort();
      sendAbort.abort();
    });
    const deliveredBefore = this.deliveredTotal;
    try {
      await this.stop();
      while (!expired.signal.aborted) {
        const pass = await this.deliverDue(expired.signal);
        if (pass.blockedUntil === undefined) {
          if (pass.more) continue;
          break;
        }
        if (pass.blockedUntil >= deadline) break;
        await clock.sleep(pass.blockedUntil - clock.now().getTime(), expired.signal);
      }
    } finally {
      timer.abort();
      this.sendAbort = new AbortController();
    }
    const delivered = this.deliveredTotal - deliveredBefore;
    const remaining = await this.options.outbox.backlog().catch(() => undefined);
    this.logger.info({ delivered, remaining }, 'notification outbox flushed');
    return { delivered, remaining };
  }

  /** One pass over the due messages, stopping at the first that cannot go now. Not for use while started. */
  async deliverDue(signal?: AbortSignal): Promise<PassResult> {
    const { clock, outbox } = this.options;
    if (this.blockedUntil > clock.now().getTime()) return { delivered: 0, blockedUntil: this.blockedUntil, more: false };
    if (!(await this.recordSentUnrecorded())) return this.blockAfterStoreFailure();
    const batchSize = this.options.batchSize ?? 20;
    let batch: OutboxMessage[];
    try {
      batch = await outbox.due(clock.now(), batchSize);
    } catch (error) {
      this.logger.error({ error: describeError(error) }, 'could not read the notification outbox');
      return this.blockAfterStoreFailure();
    }
    let delivered = 0;
    for (const message of batch) {
      if (signal?.aborted) return { delivered, more: true };
      if (this.sentUnrecorded.has(message.id)) continue;
      const outcome = await this.deliver(message, signal);
      if (outcome === 'aborted') return { delivered, more: true };
      if (outcome === 'blocked') return { delivered, blockedUntil: this.blockedUntil, more: true };
      if (outcome === 'delivered') delivered += 1;
    }
    return { delivered, more: batch.length === batchSize };
  }

  private async run(signal: AbortSignal): Promise<void> {
    const { clock } = this.options;
    while (!signal.aborted) {
      this.wakeRequested = false;
      let pass: PassResult;
      try {
        pass = await this.deliverDue(signal);
      } catch (error) {
        // deliverDue handles its own failures; this is the last guard that keeps the worker alive.
        this.logger.error({ error: describeError(error) }, 'notification delivery pass failed');
        pass = this.blockAfterStoreFailure();
      }
      if (signal.aborted) break;
      const now = clock.now().getTime();
      const waitMs =
        pass.blockedUntil !== undefined
          ? pass.blockedUntil - now
          : pass.more || this.wakeRequested
            ? 0
            : (this.options.idlePollMs ?? 30_000);
      if (waitMs > 0) await this.sleepUnlessWoken(waitMs, signal);
    }
  }

  private async sleepUnlessWoken(ms: number, stop: AbortSignal): Promise<void> {
    const wake = new AbortController();
    this.wakeAbort = wake;
    const onStop = (): void => wake.abort();
    stop.addEventListener('abort', onStop, { once: true });
    try {
      await this.options.clock.sleep(ms, wake.signal);
    } finally {
      stop.removeEventListener('abort', onStop);
      this.wakeAbort = undefined;
    }
  }

  private async deliver(message: OutboxMessage, signal: AbortSignal | undefined): Promise<Attempt | 'dropped'> {
    const image = await this.imageFor(message);
    const plainAlready = message.lastError?.startsWith(PLAIN_TEXT_MARK) ?? false;
    if (!plainAlready) {
      const html = await this.attempt(message, 'html', image, signal);
      if (html !== 'rejected') return html;
      const context = { id: message.id, eventType: message.eventType, error: this.lastRejection };
      this.logger.warn(context, 'Telegram refused the message markup; retrying as plain text');
    }
    const plain = await this.attempt(message, 'plain', image, signal);
    if (plain !== 'rejected') return plain;
    await this.drop(message);
    return 'dropped';
  }

  private async attempt(
    message: OutboxMessage,
    format: 'html' | 'plain',
    image: OutgoingImage | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Attempt> {
    const { sender } = this.options;
    await this.pacer.acquire(sender.chat, signal);
    if (signal?.aborted) return 'aborted';
    const sendSignal = this.sendAbort.signal;
    try {
      await sender.send({ id: message.id, text: message.text, format, ...(image === undefined ? {} : { image }) }, sendSignal);
    } catch (error) {
      // Cut off by a flush deadline: not Telegram's failure, and the row stays due for the next start.
      if (sendSignal.aborted) return 'aborted';
      if (error instanceof RejectedError) {
        this.lastRejection = describeError(error);
        return 'rejected';
      }
      await this.recordFailure(message, format, error);
      return 'blocked';
    }
    this.consecutiveFailures = 0;
    await this.recordDelivered(message);
    return 'delivered';
  }

  private async recordDelivered(message: OutboxMessage): Promise<void> {
    const at = this.options.clock.now();
    this.deliveredTotal += 1;
    try {
      await this.options.outbox.markDelivered(message.id, at);
    } catch (error) {
      this.sentUnrecorded.set(message.id, at);
      this.logger.error({ id: message.id, error: describeError(error) }, 'notification sent but not recorded as delivered');
    }
    this.logger.debug(
      { id: message.id, eventType: message.eventType, delayMs: at.getTime() - message.createdAt.getTime() },
      'notification delivered',
    );
  }

  private async recordFailure(message: OutboxMessage, format: 'html' | 'plain', error: unknown): Promise<void> {
    const { clock, sender } = this.options;
    this.consecutiveFailures += 1;
    const retryAfterMs = error instanceof TemporaryError ? error.retryAfterMs : undefined;
    const delayMs = retryAfterMs ?? this.backoffMs(Math.max(message.attempts, this.consecutiveFailures - 1));
    const next = new Date(clock.now().getTime() + delayMs);
    // Telegram's "retry after" is about the chat, not this message: command replies must wait too.
    if (retryAfterMs !== undefined) this.pacer.holdUntil(sender.chat, next);
    this.blockedUntil = next.getTime();
    const reason = describeError(error);
    const context = { id: message.id, eventType: message.eventType, attempts: message.attempts + 1, retryInMs: delayMs, error: reason };
    if (error instanceof OperationalError) this.logger.error(context, 'notification not sent; check the Telegram set-up');
    else this.logger.warn(context, 'notification not sent; will retry');
    try {
      await this.options.outbox.markFailed(message.id, `${format === 'plain' ? PLAIN_TEXT_MARK : ''}${reason}`, next);
    } catch (storeError) {
      this.logger.error({ id: message.id, error: describeError(storeError) }, 'could not record the failed attempt');
    }
  }

  /** Refused as HTML and as plain text: retrying cannot help. The row is closed with the reason in `lastError`. */
  private async drop(message: OutboxMessage): Promise<void> {
    const at = this.options.clock.now();
    this.logger.error(
      { id: message.id, eventType: message.eventType, error: this.lastRejection, text: message.text },
      'notification dropped: Telegram refused it',
    );
    try {
      await this.options.outbox.markFailed(message.id, `${DROPPED_MARK}${this.lastRejection}`, at);
      await this.options.outbox.markDelivered(message.id, at);
    } catch (error) {
      this.logger.error({ id: message.id, error: describeError(error) }, 'could not record the dropped notification');
    }
  }

  private backoffMs(failures: number): number {
    const initial = this.options.initialBackoffMs ?? 1000;
    const max = this.options.maxBackoffMs ?? 5 * 60_000;
    return Math.min(max, initial * 2 ** Math.min(failures, 30));
  }

  private blockAfterStoreFailure(): PassResult {
    this.consecutiveFailures += 1;
    this.blockedUntil = this.options.clock.now().getTime() + this.backoffMs(this.consecutiveFailures - 1);
    return { delivered: 0, blockedUntil: this.blockedUntil, more: false };
  }

  private async recordSentUnrecorded(): Promise<boolean> {
    for (const [id, at] of this.sentUnrecorded) {
      try {
        await this.options.outbox.markDelivered(id, at);
        this.sentUnrecorded.delete(id);
      } catch {
        return false;
      }
    }
    return true;
  }

  private async imageFor(message: OutboxMessage): Promise<OutgoingImage | undefined> {
    try {
      return await imageForOutboxMessage(message, this.options.chartSize);
    } catch (error) {
      // The figures are in the text; a chart that cannot be drawn must not hold the message back.
      this.logger.warn({ id: message.id, error: describeError(error) }, 'could not draw the chart; sending text only');
      return undefined;
    }
  }
}
