// The controls the soak harness uses on the local peers: an accelerated venue clock, prices replayed from the
// recording (stops fire on them), random faults, request hooks, rewritten answers, and AI providers in an outage.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AnthropicServer } from './anthropic/anthropic-server.js';
import { GARBAGE_ANSWER } from './anthropic/scripted-llm-server.js';
import { type FakeBinance, startFakeBinance } from './binance-usdm/index.js';
import { HISTORY_DIR } from './binance-usdm/history.js';
import { pathPrice } from './binance-usdm/market-replay.js';

let venue: FakeBinance | undefined;
let claude: AnthropicServer | undefined;

afterEach(async () => {
  await venue?.close();
  await claude?.close();
  venue = undefined;
  claude = undefined;
});

const MINUTE = 60_000;

/** The recorded BTC candle opening at `openTime`, straight from the CSV. */
function recordedCandle(openTime: number): { open: number; high: number; low: number; close: number } {
  const line = readFileSync(join(HISTORY_DIR, 'klines', 'BTCUSDT-15m.csv'), 'utf8')
    .split('\n')
    .find((row) => row.startsWith(`${openTime},`));
  const [, open, high, low, close] = (line ?? '').split(',').map(Number);
  return { open: open as number, high: high as number, low: low as number, close: close as number };
}

describe('the path inside a recorded candle', () => {
  const rising = [{ openTime: 0, open: 100, high: 110, low: 95, close: 105, volume: 1 }];
  const falling = [{ openTime: 0, open: 100, high: 104, low: 90, close: 92, volume: 1 }];

  it('when a candle rises, then the price dips to its low in the first third and tops out at two thirds', () => {
    expect(pathPrice(rising, 0, 0.1)).toBe(100);
    expect(pathPrice(rising, 2.5 * MINUTE, 0.1)).toBe(97.5); // half-way from 100 down to 95
    expect(pathPrice(rising, 5 * MINUTE, 0.1)).toBe(95);
    expect(pathPrice(rising, 10 * MINUTE, 0.1)).toBe(110);
    expect(pathPrice(rising, 12.5 * MINUTE, 0.1)).toBe(107.5); // half-way from 110 back to 105
  });

  it('when a candle falls, then the price visits its high first and its low second', () => {
    expect(pathPrice(falling, 5 * MINUTE, 0.1)).toBe(104);
    expect(pathPrice(falling, 10 * MINUTE, 0.1)).toBe(90);
  });

  it('when the time lies outside the recording, then there is no price', () => {
    expect(pathPrice(rising, 15 * MINUTE, 0.1)).toBeUndefined();
  });
});

describe('the fake venue under soak control', () => {
  it('when its clock runs at 60x, then it moves six simulated seconds in about a tenth of a real second', async () => {
    venue = await startFakeBinance();
    const simStart = venue.now();
    const realStart = performance.now();

    venue.runClock(true, 60);
    while (venue.now() - simStart < 6_000) await new Promise((resolve) => setImmediate(resolve));
    const realElapsed = performance.now() - realStart;

    expect(realElapsed).toBeGreaterThanOrEqual(99);
    expect(realElapsed).toBeLessThan(1_000);
  });

  it('when the market replays a falling candle, then a long\'s stop above its low fires at the low', async () => {
    const openTime = Date.UTC(2025, 9, 2, 0, 15);
    const candle = recordedCandle(openTime);
    venue = await startFakeBinance({ now: openTime + 5 * MINUTE });
    venue.replayMarket({ stepMs: 60_000 });
    expect(venue.book.orders).toHaveLength(0);
    const trigger = Math.round(((candle.low + candle.open) / 2) * 10) / 10;
    venue.book.marginType.set('BTCUSDT', 'ISOLATED');
    venue.book.placeMarketOrder({ symbol: 'BTCUSDT', side: 'BUY', quantity: 0.01, reduceOnly: false, clientOrderId: 't-entry' }, venue.now());
    venue.book.placeAlgoOrder({ symbol: 'BTCUSDT', side: 'SELL', quantity: 0.01, reduceOnly: true, clientOrderId: 't-stop', orderType: 'STOP_MARKET', triggerPrice: trigger, workingType: 'MARK_PRICE' }, venue.now());

    venue.setNow(openTime + 10 * MINUTE);
    venue.replayMarket({ stepMs: 60_000 });

    expect(venue.book.algoOrders[0]?.algoStatus).toBe('FINISHED');
    expect(venue.book.orders.map((o) => o.avgPrice)).toEqual([candle.high, candle.low]);
    expect(venue.book.openPositions()).toEqual([]);
  });

  it('when half of the requests are to fail, then about half fail, and the same seed fails the same ones', async () => {
    venue = await startFakeBinance();
    const statuses = async (seed: number): Promise<number[]> => {
      venue?.randomFaults({ rate: 0.5, seed, kinds: ['server_error', 'rate_limit'] });
      const out: number[] = [];
      for (let i = 0; i < 200; i += 1) out.push((await fetch(`${venue?.origin}/fapi/v1/time`)).status);
      return out;
    };

    const first = await statuses(7);
    const again = await statuses(7);
    venue.randomFaults(undefined);
    const after = (await fetch(`${venue.origin}/fapi/v1/time`)).status;

    const failed = first.filter((status) => status !== 200).length;
    expect(failed).toBeGreaterThan(60);
    expect(failed).toBeLessThan(140);
    expect(again).toEqual(first);
    expect(new Set(first.filter((status) => status !== 200))).toEqual(new Set([500, 429]));
    expect(venue.injectedFaults).toHaveLength(failed * 2);
    expect(after).toBe(200);
  });

  it('when a request hook answers "drop", then that request gets no answer and later ones do', async () => {
    venue = await startFakeBinance();
    const seen: string[] = [];
    const remove = venue.onRequest((request) => {
      seen.push(request.path);
      return 'drop';
    });

    await expect(fetch(`${venue.origin}/fapi/v1/time`)).rejects.toThrow();
    remove();
    const later = await fetch(`${venue.origin}/fapi/v1/time`);

    expect(seen).toEqual(['/fapi/v1/time']);
    expect(later.status).toBe(200);
  });

  it('when the next mark price is rewritten to NaN, then only that answer carries it', async () => {
    venue = await startFakeBinance();
    venue.rewriteNext({ path: '/fapi/v1/premiumIndex', rewrite: (body) => ({ ...(body as object), markPrice: 'NaN' }) });
    const url = `${venue.origin}/fapi/v1/premiumIndex?symbol=BTCUSDT`;

    const bad = (await (await fetch(url)).json()) as { markPrice: string; symbol: string };
    const good = (await (await fetch(url)).json()) as { markPrice: string };

    expect(bad).toMatchObject({ markPrice: 'NaN', symbol: 'BTCUSDT' });
    expect(Number(good.markPrice)).toBeGreaterThan(0);
  });
});

describe('an AI provider in an outage', () => {
  const ask = async (server: AnthropicServer): Promise<{ status: number; text: string }> => {
    const response = await fetch(`${server.origin}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': AnthropicServer.DEFAULT_KEY },
      body: JSON.stringify({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const body = (await response.json()) as { content?: { text: string }[] };
    return { status: response.status, text: body.content?.[0]?.text ?? '' };
  };

  it('when it is down, then every request gets 503 until the outage ends', async () => {
    claude = await AnthropicServer.start();
    claude.setOutage({ kind: 'down' });

    const during = [await ask(claude), await ask(claude)];
    claude.setOutage(undefined);
    const after = await ask(claude);

    expect(during.map((answer) => answer.status)).toEqual([503, 503]);
    expect(after.status).toBe(200);
  });

  it('when it answers garbage, then the answer is a 200 whose text is prose, not a vote', async () => {
    claude = await AnthropicServer.start();
    claude.setOutage({ kind: 'garbage' });

    const answer = await ask(claude);

    expect(answer).toEqual({ status: 200, text: GARBAGE_ANSWER });
  });

  it('when it is slow, then the answer comes only after the delay', async () => {
    claude = await AnthropicServer.start();
    claude.setOutage({ kind: 'slow', delayMs: 150 });
    const started = performance.now();

    const answer = await ask(claude);

    expect(answer.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(149);
  });
});
