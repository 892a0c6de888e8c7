import type { TradingEvent } from '../domain/events.js';
import type { Notifier, TransactionScope } from '../ports/notifier.js';

/** Keeps every event; one sent within a transaction is kept once the transaction has committed, as an outbox would. */
export class RecordingNotifier implements Notifier {
  readonly events: TradingEvent[] = [];

  async notify(event: TradingEvent, within?: TransactionScope): Promise<void> {
    if (!within) {
      this.events.push(event);
      return;
    }
    void within.committed.then(
      () => this.events.push(event),
      () => undefined,
    );
  }

  ofType<K extends TradingEvent['type']>(type: K): Extract<TradingEvent, { type: K }>[] {
    return this.events.filter((event): event is Extract<TradingEvent, { type: K }> => event.type === type);
  }
}
