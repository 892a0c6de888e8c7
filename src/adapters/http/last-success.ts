// Remembers when a peer (the exchange, or the market data feed in paper mode) last answered, for the health check.
// Only a request that came back counts: an adapter that answers some calls from a cache or a local store reports its
// requests through `record`; one whose every call is a request can be wrapped whole with `watch`.
import type { Clock } from '../../ports/clock.js';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

export class LastSuccess {
  private last?: Date;

  constructor(private readonly clock: Clock) {}

  /** When a watched call last succeeded; undefined until one has. */
  at(): Date | undefined {
    return this.last;
  }

  record(): void {
    this.last = this.clock.now();
  }

  /**
   * Returns `target` with every method that returns a promise counted: a fulfilled promise records a success, a
   * rejected one changes nothing and still reaches the caller. Methods run on the original object, so classes with
   * private fields behave exactly as before; properties pass through untouched. Only for adapters whose every
   * promise-returning method sends a request: a call answered from a cache would count as the peer answering.
   */
  watch<T extends object>(target: T): T {
    const wrapped = new Map<PropertyKey, unknown>();
    return new Proxy(target, {
      get: (object, key) => {
        const value: unknown = Reflect.get(object, key, object);
        if (typeof value !== 'function') return value;
        if (!wrapped.has(key)) {
          const method = value as (...args: unknown[]) => unknown;
          wrapped.set(key, (...args: unknown[]) => {
            const result = method.apply(object, args);
            if (isThenable(result)) result.then(() => this.record(), () => undefined);
            return result;
          });
        }
        return wrapped.get(key);
      },
    });
  }
}
