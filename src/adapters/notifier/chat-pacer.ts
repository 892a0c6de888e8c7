// Telegram allows about one message per second per chat and answers bursts with 429. Every message to a chat,
// outbox delivery and command replies alike, takes a slot here first, so the two never crowd each other out.
import type { Clock } from '../../ports/clock.js';

export class ChatPacer {
  private readonly nextFree = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    readonly minIntervalMs: number,
  ) {}

  /**
   * Waits for the chat's next free slot and takes it. The slot is reserved before waiting, so callers queue in
   * call order. Resolves early if `signal` aborts; the caller should then check the signal before sending.
   */
  async acquire(chat: string, signal?: AbortSignal): Promise<void> {
    const now = this.clock.now().getTime();
    const slot = Math.max(now, this.nextFree.get(chat) ?? now);
    this.nextFree.set(chat, slot + this.minIntervalMs);
    if (slot > now) await this.clock.sleep(slot - now, signal);
  }

  /** Nothing goes to `chat` before `time` (Telegram said "retry after"). */
  holdUntil(chat: string, time: Date): void {
    const current = this.nextFree.get(chat) ?? 0;
    this.nextFree.set(chat, Math.max(current, time.getTime()));
  }

  /** When the chat's next message may go (epoch ms); for logs and tests. */
  nextSlot(chat: string): number | undefined {
    return this.nextFree.get(chat);
  }
}
