// Faults on the Bybit and Hyperliquid stand-ins (the shared perp-venue skeleton): random refusals in each venue's
// own words, seeded so a run repeats, and request hooks that drop a chosen request, as the soak uses them.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeBybit } from '../bybit/index.js';
import { startFakeHyperliquid } from '../hyperliquid/index.js';
import type { LocalPerpVenue } from './perp-venue.js';

let venue: LocalPerpVenue | undefined;

afterEach(async () => {
  await venue?.close();
  venue = undefined;
});

interface Answer {
  readonly status: number;
  readonly text: string;
}

async function timeOnBybit(origin: string): Promise<Answer> {
  const response = await fetch(`${origin}/v5/market/time`);
  return { status: response.status, text: await response.text() };
}

describe('random faults on the Bybit stand-in', () => {
  it('when a third of the requests are to fail, then they fail in Bybit\u2019s words, and the same seed fails the same ones', async () => {
    venue = await startFakeBybit();
    const origin = venue.origin;
    const answers = async (seed: number): Promise<Answer[]> => {
      venue?.randomFaults({ rate: 0.33, seed, kinds: ['rate_limit', 'ip_ban', 'server_error', 'unavailable'] });
      const out: Answer[] = [];
      for (let i = 0; i < 150; i += 1) out.push(await timeOnBybit(origin));
      return out;
    };

    const first = await answers(11);
    const again = await answers(11);
    venue.randomFaults(undefined);
    const after = await timeOnBybit(origin);

    expect(again).toEqual(first);
    const refusals = first.filter((a) => !a.text.includes('"retCode":0'));
    expect(refusals.length).toBeGreaterThan(25);
    expect(refusals.length).toBeLessThan(75);
    const kinds = new Set(refusals.map((a) => (a.status === 200 ? `200 retCode ${String((JSON.parse(a.text) as { retCode: number }).retCode)}` : `${a.status} ${a.text}`)));
    expect(kinds).toEqual(new Set(['200 retCode 10006', '200 retCode 10016', '403 access too frequent', '503 Service Unavailable']));
    expect(venue.injectedFaults).toHaveLength(refusals.length * 2);
    expect(after.text).toContain('"retCode":0');
  });

  it('when a fault drops the connection, then that request gets no answer and the venue keeps serving', async () => {
    venue = await startFakeBybit();
    venue.randomFaults({ rate: 1, kinds: ['drop_before'] });

    await expect(fetch(`${venue.origin}/v5/market/time`)).rejects.toThrow();
    venue.randomFaults(undefined);

    expect((await timeOnBybit(venue.origin)).status).toBe(200);
    expect(venue.injectedFaults.map((f) => [f.kind, f.path])).toEqual([['drop_before', '/v5/market/time']]);
  });

  it('when a request hook answers "drop", then that request is dropped before the venue acts and later ones are answered', async () => {
    venue = await startFakeBybit();
    const seen: string[] = [];
    const remove = venue.onRequest((request) => {
      seen.push(request.path);
      return 'drop';
    });

    await expect(fetch(`${venue.origin}/v5/market/time`)).rejects.toThrow();
    remove();

    expect((await timeOnBybit(venue.origin)).status).toBe(200);
    expect(seen).toEqual(['/v5/market/time']);
  });
});

describe('random faults on the Hyperliquid stand-in', () => {
  const meta = async (origin: string): Promise<number> =>
    (await fetch(`${origin}/info`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'meta' }) })).status;

  it('when every kind may be drawn, then its refusals are 429, 500 and 502 and never a ban it does not have', async () => {
    venue = await startFakeHyperliquid();
    venue.randomFaults({ rate: 0.5, seed: 3, kinds: ['rate_limit', 'ip_ban', 'server_error', 'unavailable'] });

    const statuses: number[] = [];
    for (let i = 0; i < 120; i += 1) statuses.push(await meta(venue.origin));

    expect(new Set(statuses.filter((s) => s !== 200))).toEqual(new Set([429, 500, 502]));
    expect(venue.injectedFaults.some((f) => f.kind === 'ip_ban')).toBe(false);
  });

  it('when only a ban is asked for, then the stand-in says it has none', async () => {
    venue = await startFakeHyperliquid();

    expect(() => venue?.randomFaults({ rate: 0.5, kinds: ['ip_ban'] })).toThrow(/none of the fault kinds/);
  });
});
