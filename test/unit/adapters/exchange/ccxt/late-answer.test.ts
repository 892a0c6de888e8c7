import { describe, expect, it } from 'vitest';
import { answerOrLookUp } from '../../../../../src/adapters/exchange/ccxt/late-answer.js';

interface Order {
  readonly id: string;
  readonly filled: number;
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const options = { lookUpAfterMs: 5, lookUpEveryMs: 5, settles: (order: Order) => order.filled > 0 };

describe('a late answer to an entry', () => {
  it('when the answer comes in time, then it is the result and the order is never looked up', async () => {
    let lookUps = 0;
    const result = await answerOrLookUp(Promise.resolve({ id: 'answer', filled: 1 }), async () => {
      lookUps += 1;
      return undefined;
    }, { ...options, lookUpAfterMs: 60_000 });

    expect(result).toEqual({ id: 'answer', filled: 1 });
    expect(lookUps).toBe(0);
  });

  it('when the answer is late and the look-up finds the fill, then the fill is the result while the request is still in flight', async () => {
    const answer = deferred<Order>();
    const found: Order[] = [];
    const seen = [undefined, { id: 'looked-up', filled: 0 }, { id: 'looked-up', filled: 2 }];
    let lookUps = 0;

    const result = await answerOrLookUp(answer.promise, async () => seen[Math.min(lookUps++, seen.length - 1)], { ...options, onOvertaken: (order) => found.push(order) });

    expect(result).toEqual({ id: 'looked-up', filled: 2 });
    expect(lookUps).toBe(3);
    expect(found).toEqual([{ id: 'looked-up', filled: 2 }]);
    // The request's own late failure changes nothing now.
    answer.reject(new Error('request timed out'));
    await expect(answer.promise).rejects.toThrow('request timed out');
  });

  it('when the request fails before anything is found, then it fails with its own error', async () => {
    const answer = deferred<Order>();
    let lookUps = 0;
    const result = answerOrLookUp(answer.promise, async () => {
      lookUps += 1;
      if (lookUps === 2) answer.reject(new Error('503 from the venue'));
      return undefined;
    }, options);

    await expect(result).rejects.toThrow('503 from the venue');
    expect(lookUps).toBe(2);
  });

  it('when the look-up itself fails, then it keeps looking until the answer comes', async () => {
    const answer = deferred<Order>();
    let lookUps = 0;
    const result = answerOrLookUp(answer.promise, async () => {
      lookUps += 1;
      if (lookUps === 3) answer.resolve({ id: 'answer', filled: 1 });
      throw new Error('429');
    }, options);

    await expect(result).resolves.toEqual({ id: 'answer', filled: 1 });
    expect(lookUps).toBe(3);
  });
});

describe('a late answer to an entry, when the venue holds look-ups too', () => {
  it('when a look-up hangs, then the next one still starts on time and its fill is the result', async () => {
    const answer = deferred<Order>();
    const hanging = deferred<Order | undefined>();
    let lookUps = 0;

    const result = await answerOrLookUp(answer.promise, () => (lookUps++ === 0 ? hanging.promise : Promise.resolve({ id: 'looked-up', filled: 1 })), options);

    expect(result).toEqual({ id: 'looked-up', filled: 1 });
    expect(lookUps).toBe(2);
  });

  it('when every look-up hangs, then no more than the allowed number wait at once, and the answer still wins', async () => {
    const answer = deferred<Order>();
    let lookUps = 0;
    const result = answerOrLookUp(answer.promise, () => {
      lookUps += 1;
      return new Promise<Order | undefined>(() => undefined);
    }, { ...options, maxInFlight: 2 });
    // Once two are waiting, ten more beats of 5 ms pass: a third look-up would start in any of them.
    await new Promise<void>((resolve) => {
      const poll = (): void => {
        if (lookUps >= 2) setTimeout(resolve, 50);
        else setTimeout(poll, 5);
      };
      poll();
    });
    answer.resolve({ id: 'answer', filled: 1 });

    await expect(result).resolves.toEqual({ id: 'answer', filled: 1 });
    expect(lookUps).toBe(2);
  });
});
