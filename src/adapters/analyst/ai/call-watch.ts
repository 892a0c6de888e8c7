// What the provider SDK did on the wire during one assessment, seen through the fetch it is given. The SDKs retry on
// their own and sleep as long as a 429 or 529 asks; from outside, a deadline that ends such a sleep looks like a slow
// network. The watch tells the two apart: whether a request was out when the deadline came (the provider may bill
// it), and which refusal, with what retry-after, came last.
import { AsyncLocalStorage } from 'node:async_hooks';

/** An HTTP error answer of the provider: nothing was generated, nothing is billed. */
export interface Refusal {
  readonly status: number;
  /** How long the provider asked to wait, when it said so. */
  readonly retryAfterMs?: number;
}

export interface CallWatch {
  /** A request has been sent and no error status came back for it: the provider may be writing, and billing, an answer. */
  inFlight: boolean;
  lastRefusal?: Refusal;
  /**
   * Told of each refusal as it arrives, before the SDK decides to sleep on it: the caller can give up at once when the
   * wait asked for outlasts its deadline.
   */
  readonly onRefusal?: (refusal: Refusal) => void;
}

const current = new AsyncLocalStorage<CallWatch>();

/** Runs one provider call with `watch` following it; the SDK's retries stay inside the same async context. */
export function watchCall<T>(watch: CallWatch, call: () => Promise<T>): Promise<T> {
  return current.run(watch, call);
}

/** `retry-after-ms` (Anthropic's, and OpenAI's) or `retry-after` in seconds; an HTTP date is left out, not guessed. */
export function retryAfterMsOf(headers: Headers): number | undefined {
  const millis = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(millis) && millis > 0) return millis;
  const seconds = Number.parseFloat(headers.get('retry-after') ?? '');
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/** The fetch handed to a provider SDK: the plain fetch, reported to the watch of the call it serves. */
export function watchedFetch(): typeof fetch {
  // Looked up per request, as the SDK's own default would be.
  const inner: typeof fetch = (input, init) => globalThis.fetch(input, init);
  return async (input, init) => {
    const watch = current.getStore();
    if (watch === undefined) return inner(input, init);
    watch.inFlight = true;
    let response: Response;
    try {
      response = await inner(input, init);
    } catch (error) {
      watch.inFlight = false;
      throw error;
    }
    if (response.status >= 400) {
      watch.inFlight = false;
      const retryAfterMs = retryAfterMsOf(response.headers);
      const refusal: Refusal = { status: response.status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
      watch.lastRefusal = refusal;
      watch.onRefusal?.(refusal);
    }
    return response;
  };
}
