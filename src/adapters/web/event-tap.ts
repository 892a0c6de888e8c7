// Passes every event to the real notifier, then tells the dashboard's listeners, so an open page hears about a
// fill or a breaker as soon as the owner's messenger does.
import type { TradingEvent } from '../../domain/events.js';
import type { Notifier } from '../../ports/notifier.js';

export type EventListener = (event: TradingEvent) => void;

export class NotifierTap implements Notifier {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly inner: Notifier) {}

  async notify(event: TradingEvent): Promise<void> {
    await this.inner.notify(event);
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
