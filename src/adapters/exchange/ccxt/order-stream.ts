// The account's order changes from the venue's private websocket (Binance's user-data stream with its listen key,
// kept alive by ccxt), as they happen: what lets a stop's fill be booked within a second instead of at the next
// position check.
import type { Exchange as CcxtClient, Order } from 'ccxt';
import type { OrderResult } from '../../../ports/exchange.js';
import type { Logger } from '../../../ports/logger.js';

/** `work`'s answer, or undefined once `signal` aborts first (the pending watch is left to the client's close). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Every order update until `signal` aborts; throws when the stream fails, so the caller can fall back and alert. An
 * update that cannot be read is logged and skipped: the next position check still sees the order.
 */
export async function* orderUpdates(
  exchange: CcxtClient,
  signal: AbortSignal,
  read: (order: Order) => OrderResult,
  log: Logger,
): AsyncGenerator<OrderResult> {
  while (!signal.aborted) {
    const orders = await untilAborted(exchange.watchOrders(), signal);
    if (orders === undefined) return;
    for (const order of orders) {
      try {
        yield read(order);
      } catch (error) {
        log.warn({ order: order.id, error: (error as Error).message }, 'order stream: an update could not be read');
      }
    }
  }
}
