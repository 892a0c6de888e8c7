// Listens to the venue's private order stream, where the exchange has one: an order of an open position's symbol
// that fills or ends (a stop or target on the venue, a close by hand) wakes the monitor at once, which books it from
// the fills. The stream only wakes; the monitor and reconciliation decide on what the venue reports. When the stream
// fails, position checks carry on at their interval; the owner is told once, and the stream is opened again.
import { describeError } from '../domain/errors.js';
import type { Position } from '../domain/trading.js';
import type { EngineContext } from './engine-context.js';
import { FLAPPING_QUIET_MS, type IncidentTracker } from './incidents.js';

const INCIDENT = 'order-stream';
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 60_000;
const ALL_CLEAR = 'The order stream is back: fills on the exchange are booked as they happen again.';

export class OrderWatcher {
  private symbols = new Set<string>();
  private stopper?: AbortController;

  constructor(
    private readonly ctx: EngineContext,
    private readonly incidents: IncidentTracker,
    private readonly onUpdate: (symbol: string) => void,
  ) {}

  get enabled(): boolean {
    return this.ctx.exchange.watchOrders !== undefined;
  }

  /** Follows the symbols of these positions; the stream runs while any is open. */
  sync(active: readonly Position[]): void {
    if (!this.enabled) return;
    this.symbols = new Set(active.filter((position) => position.status !== 'closed').map((position) => position.symbol));
    if (this.symbols.size > 0 && this.stopper === undefined) {
      const stopper = new AbortController();
      this.stopper = stopper;
      void this.follow(stopper.signal);
    } else if (this.symbols.size === 0) this.stopAll();
  }

  stopAll(): void {
    this.stopper?.abort();
    this.stopper = undefined;
  }

  private async follow(signal: AbortSignal): Promise<void> {
    const { clock, logger, exchange } = this.ctx;
    let retryMs = FIRST_RETRY_MS;
    let opened = 0;
    while (!signal.aborted) {
      opened += 1;
      if (this.incidents.isOpen(INCIDENT)) void this.clearWhenHeld(opened, () => opened, signal);
      try {
        for await (const update of exchange.watchOrders?.(signal) ?? []) {
          retryMs = FIRST_RETRY_MS;
          // An update on the reopened stream is the proof it works (the incident tracker still waits out its quiet period).
          await this.incidents.clear(INCIDENT, ALL_CLEAR);
          if (!this.symbols.has(update.symbol) || update.status === 'open') continue;
          logger.info({ symbol: update.symbol, order: update.clientOrderId, status: update.status }, 'order stream: an order ended, checking now');
          this.onUpdate(update.symbol);
        }
        return;
      } catch (error) {
        if (signal.aborted) return;
        logger.warn({ error: describeError(error), retryInMs: retryMs }, 'order stream failed');
        await this.incidents.raise(
          INCIDENT,
          'warning',
          `The exchange's order stream failed (${describeError(error)}). Fills are noticed at the position checks meanwhile; reconnecting.`,
          { quietMs: FLAPPING_QUIET_MS },
        );
        await clock.sleep(retryMs, signal).catch(() => undefined);
        retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
      }
    }
  }

  /** A reopened stream that holds through the quiet period without an update is back too. */
  private async clearWhenHeld(attempt: number, current: () => number, signal: AbortSignal): Promise<void> {
    await this.ctx.clock.sleep(FLAPPING_QUIET_MS, signal).catch(() => undefined);
    if (!signal.aborted && current() === attempt) await this.incidents.clear(INCIDENT, ALL_CLEAR);
  }
}
