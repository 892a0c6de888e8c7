import type { TradingEvent } from '../domain/events.js';

export interface Notifier {
  /** Records the event for delivery and returns; delivery (and its failures) is the adapter's job. */
  notify(event: TradingEvent): Promise<void>;
}
