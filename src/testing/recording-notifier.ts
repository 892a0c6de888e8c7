import type { TradingEvent } from '../domain/events.js';
import type { Notifier } from '../ports/notifier.js';

export class RecordingNotifier implements Notifier {
  readonly events: TradingEvent[] = [];

  async notify(event: TradingEvent): Promise<void> {
    this.events.push(event);
  }

  ofType<K extends TradingEvent['type']>(type: K): Extract<TradingEvent, { type: K }>[] {
    return this.events.filter((event): event is Extract<TradingEvent, { type: K }> => event.type === type);
  }
}
