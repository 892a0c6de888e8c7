// A market entry fills at the venue the moment it arrives, but its answer can lag by seconds when the venue is busy,
// which is exactly when prices move fastest. Waiting out the client's timeout would leave a filled position without
// its stop for that long, so a late answer is overtaken: the order is looked up by its client id while the request is
// still in flight, and whichever shows the fill first wins. The request is never sent twice.
import { setTimeout as delay } from 'node:timers/promises';

export interface LateAnswerOptions<T> {
  /** How long the answer may take before the first look-up (real time: this is about the network). */
  readonly lookUpAfterMs: number;
  readonly lookUpEveryMs: number;
  /** Whether what the look-up found settles the question (a fill); otherwise it keeps looking. */
  readonly settles: (found: T) => boolean;
  /** Told once when a look-up overtakes the answer. */
  readonly onOvertaken?: (found: T) => void;
}

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

async function lookUpUntilAnswered<T>(lookUp: () => Promise<T | undefined>, answered: AbortSignal, options: LateAnswerOptions<T>): Promise<T | undefined> {
  try {
    await delay(options.lookUpAfterMs, undefined, { signal: answered });
    while (!answered.aborted) {
      const found = await lookUp().catch(() => undefined);
      if (found !== undefined && options.settles(found) && !answered.aborted) {
        options.onOvertaken?.(found);
        return found;
      }
      await delay(options.lookUpEveryMs, undefined, { signal: answered });
    }
  } catch (error) {
    if (!answered.aborted) throw error;
  }
  return undefined;
}
