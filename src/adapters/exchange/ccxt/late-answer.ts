// A market entry fills at the venue the moment it arrives, but its answer can lag by seconds when the venue is busy,
// which is exactly when prices move fastest. Waiting out the client's timeout would leave a filled position without
// its stop for that long, so a late answer is overtaken: the order is looked up by its client id while the request is
// still in flight, and whichever shows the fill first wins. The request is never sent twice.

export interface LateAnswerOptions<T> {
  /** How long the answer may take before the first look-up (real time: this is about the network). */
  readonly lookUpAfterMs: number;
  /** A new look-up starts this often, whether or not the earlier ones have answered. */
  readonly lookUpEveryMs: number;
  /** Look-ups waiting for their own answer at once, at most (default 4). */
  readonly maxInFlight?: number;
  /** Whether what the look-up found settles the question (a fill); otherwise it keeps looking. */
  readonly settles: (found: T) => boolean;
  /** Told once when a look-up overtakes the answer. */
  readonly onOvertaken?: (found: T) => void;
}

const DEFAULT_MAX_IN_FLIGHT = 4;

/** The request's own answer, or what the look-up finds first; a failed request fails as it did. */
export async function answerOrLookUp<T>(sent: Promise<T>, lookUp: () => Promise<T | undefined>, options: LateAnswerOptions<T>): Promise<T> {
  const answered = new AbortController();
  // Either way the request ends, the look-ups stop; its late failure, once overtaken, is nobody's business.
  sent.then(
    () => answered.abort(),
    () => answered.abort(),
  );
  const overtaking = lookUpUntilAnswered(lookUp, answered.signal, options);
  const first = await Promise.race([sent, overtaking]);
  return first ?? sent;
}

/**
 * Look-ups start on a fixed beat rather than one after the other: a look-up that is itself held by the struggling
 * venue would otherwise hold back every later one until the client's timeout (the soak saw a filled entry wait 10 s
 * for its stop that way).
 */
function lookUpUntilAnswered<T>(lookUp: () => Promise<T | undefined>, answered: AbortSignal, options: LateAnswerOptions<T>): Promise<T | undefined> {
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  return new Promise((resolve) => {
    let settled = false;
    let inFlight = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (found: T | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(found);
    };
    const start = (): void => {
      if (settled || answered.aborted) return finish(undefined);
      if (inFlight < maxInFlight) {
        inFlight += 1;
        lookUp().then(
          (found) => {
            inFlight -= 1;
            if (found !== undefined && options.settles(found) && !settled && !answered.aborted) {
              options.onOvertaken?.(found);
              finish(found);
            }
          },
          () => {
            inFlight -= 1;
          },
        );
      }
      timer = setTimeout(start, options.lookUpEveryMs);
    };
    if (answered.aborted) return finish(undefined);
    answered.addEventListener('abort', () => finish(undefined), { once: true });
    timer = setTimeout(start, options.lookUpAfterMs);
  });
}
