// A MessageSender that records every attempt (with the clock's time) and fails when told to.
import { EventEmitter } from 'node:events';
import type { MessageSender, OutgoingMessage } from '../../../../../src/adapters/notifier/message-sender.js';
import type { Clock } from '../../../../../src/ports/clock.js';

export interface SendAttempt {
  readonly message: OutgoingMessage;
  readonly at: number;
  readonly ok: boolean;
}

export class ScriptedSender implements MessageSender {
  readonly chat = 'owner-chat';
  readonly attempts: SendAttempt[] = [];
  private readonly failures: Error[] = [];
  private failForever: Error | undefined;
  private readonly events = new EventEmitter();

  constructor(private readonly clock: Clock) {}

  /** The next attempts fail with these errors, in order. */
  failNext(...errors: Error[]): void {
    this.failures.push(...errors);
  }

  /** Every attempt fails with `error` until `recover`. */
  failAlways(error: Error): void {
    this.failForever = error;
  }

  recover(): void {
    this.failForever = undefined;
  }

  get delivered(): OutgoingMessage[] {
    return this.attempts.filter((attempt) => attempt.ok).map((attempt) => attempt.message);
  }

  async send(message: OutgoingMessage, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new Error('aborted before sending');
    const failure = this.failures.shift() ?? this.failForever;
    this.attempts.push({ message, at: this.clock.now().getTime(), ok: failure === undefined });
    this.events.emit('attempt');
    if (failure !== undefined) throw failure;
  }

  /** Resolves once `count` attempts have been made. */
  async untilAttempts(count: number): Promise<void> {
    if (this.attempts.length >= count) return;
    await new Promise<void>((resolve) => {
      const listener = (): void => {
        if (this.attempts.length < count) return;
        this.events.off('attempt', listener);
        resolve();
      };
      this.events.on('attempt', listener);
    });
  }
}
