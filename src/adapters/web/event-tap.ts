// Passes every event to the real notifier, then tells the dashboard's listeners, so an open page hears about a
// fill or a breaker as soon as the owner's messenger does.
import type { TradingEvent } from '../../domain/events.js';
import type { Notifier, TransactionScope } from '../../ports/notifier.js';

export type EventListener = (event: TradingEvent) => void;

export class NotifierTap implements Notifier {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly inner: Notifier) {}

  /** Inside a transaction the event is passed on with it, and the page hears of it only once it has committed. */
  async notify(event: TradingEvent, within?: TransactionScope): Promise<void> {
    await this.inner.notify(event, within);
    if (within) void within.committed.then(() => this.tell(event), () => undefined);
    else this.tell(event);
  }

  private tell(event: TradingEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is the dashboard's problem, never the engine's.
      }
    }
  }

  listen(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
