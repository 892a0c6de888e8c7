// The daemon loop watching an open live position: a rate-limited read does not break it, a price pushed on the
// venue's stream wakes the monitor long before its heartbeat, and an AI exit opinion, which takes seconds, is acted on
// at the price when it came, so "never a discretionary close of a winner below MIN_PROFIT_USD" holds at the close.
import { afterEach, describe, expect, it } from 'vitest';
import type { ExitVote, MarketSnapshot } from '../../../src/domain/analysis.js';
import type { Position } from '../../../src/domain/trading.js';
import { FLAPPING_QUIET_MS } from '../../../src/engine/incidents.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { LiveProcess, describeChanges, startVenue, waitFor, type ProcessOptions } from './live-harness.js';

let venue: FakeBinance | undefined;
let proc: LiveProcess | undefined;

afterEach(async () => {
  await proc?.close();
  await venue?.close();
  proc = undefined;
  venue = undefined;
});

/** A long open at 100 000 (0.023 BTC, stop 94 000), and the daemon started on it with the venue clock running. */
async function openAndStart(options: ProcessOptions): Promise<{ venue: FakeBinance; proc: LiveProcess; store: InMemoryStore }> {
  venue = await startVenue();
  const store = new InMemoryStore();
  proc = new LiveProcess(venue, store, options);
  venue.setPrice('BTCUSDT', 100_000);
  await proc.prepare();
  expect((await proc.enter()).status).toBe('opened');
  venue.runClock(true);
  await proc.daemon.start();
  return { venue, proc, store };
}

const positionChecks = (venue: FakeBinance): number => venue.requestsTo('/fapi/v3/positionRisk', 'GET').length;

describe('the daemon loop on an open live position (real ccxt, fake Binance USDⓈ-M)', () => {
  it('when a position read is rate limited (429, Retry-After), then the loop goes on and the next check works, with no extra order', async () => {
    const { venue, proc, store } = await openAndStart({ positionCheckMs: 300 });
    const before = positionChecks(venue);
    venue.failNext({ path: '/fapi/v3/positionRisk', method: 'GET', status: 429, headers: { 'Retry-After': '1' } });

    proc.startLoop();
    await waitFor(() => proc.logger.lines.some((l) => l.message === 'engine step failed'), 'the refused read');
    // One fault, then quiet: the all-clear comes once the quiet period has passed without another.
    venue.advance(FLAPPING_QUIET_MS);
    await waitFor(() => proc.notifier.ofType('alert').some((a) => a.incident === 'engine:monitor' && a.cleared), 'the monitor step to work again');
    venue.setPrice('BTCUSDT', 101_000);
    await waitFor(async () => (await store.trades.count()) === 1, 'the position to be closed and booked');
    await proc.stopLoop();

    const failed = proc.logger.lines.find((l) => l.message === 'engine step failed');
    expect(failed?.context).toMatchObject({ step: 'monitor', error: expect.stringMatching(/rate limited by the venue.*Retry after 1 s/) });
    const alerts = proc.notifier.ofType('alert').filter((a) => a.incident === 'engine:monitor');
    expect(alerts.map((a) => [a.severity, a.cleared])).toEqual([
      ['warning', false],
      ['warning', true],
    ]);
    // The refused read, then the check that worked and the ones around the close.
    expect(positionChecks(venue) - before).toBeGreaterThanOrEqual(2);
    const stopId = venue.book.algoOrders[0]?.algoId;
    // The loop may already have opened the next position after the close; position 1's orders are these alone.
    const changes = describeChanges(venue);
    expect(changes.slice(0, 6)).toEqual([
      'POST /fapi/v1/marginType ISOLATED',
      'POST /fapi/v1/leverage 3',
      'POST /fapi/v1/order ltd-1-entry',
      'POST /fapi/v1/algoOrder ltd-1-stop',
      'POST /fapi/v1/order ltd-1-close',
      `DELETE /fapi/v1/algoOrder ${stopId}`,
    ]);
    expect(changes.slice(6).filter((change) => change.includes('ltd-1-'))).toEqual([]);
    expect((await store.trades.list())[0]?.reason).toBe('take_profit');
  });

  it('when the stream pushes a price beyond the profit target, then the close reaches the venue within seconds, not at the 60 s heartbeat', async () => {
    const { venue, proc, store } = await openAndStart({ positionCheckMs: 60_000 });
    proc.startLoop();
    // The first tick checks the position at once; after it the loop sleeps out its 60 s heartbeat.
    await waitFor(() => proc.daemon.lastTickAt !== undefined && proc.marketData.delivered.length > 0, 'the first tick and a streamed price');
    const checksBefore = positionChecks(venue);
    const tickerReadsBefore = venue.requestsTo('/fapi/v1/ticker/24hr').length;

    // 0.023 BTC from 100 000 to 101 000 is 23 USDT gross, well past the 5 USDT (2 x minimum profit) target.
    venue.setPrice('BTCUSDT', 101_000);
    const pushedAt = performance.now();
    await waitFor(() => describeChanges(venue).includes('POST /fapi/v1/order ltd-1-close'), 'the close order', 10_000);
    const elapsedMs = performance.now() - pushedAt;
    await waitFor(async () => (await store.trades.count()) === 1, 'the trade to be booked');
    await proc.stopLoop();

    // About 3 s here, most of it ccxt's own rate limiter paying off the start-up reconciliation's heavy reads; the
    // bound is generous for slow machines and still a sixth of the heartbeat.
    expect(elapsedMs).toBeLessThan(10_000);
    expect(positionChecks(venue)).toBeGreaterThan(checksBefore);
    expect(proc.marketData.delivered.some((tick) => tick.price === 101_000)).toBe(true);
    expect(proc.logger.lines.some((l) => l.message === 'price stream: exit rule reached, checking now')).toBe(true);
    // The stream only woke the monitor; it decided on a fresh REST read of the price.
    expect(venue.requestsTo('/fapi/v1/ticker/24hr').length).toBeGreaterThan(tickerReadsBefore);
    const [trade] = await store.trades.list();
    expect(trade).toMatchObject({ reason: 'take_profit', exitPrice: 101_000 });
  });
});

/** Says exit; while it thinks, the market moves to `priceAfter`. */
class SlowExitAnalyst extends ScriptedAnalyst {
  constructor(
    name: string,
    private readonly market: FakeBinance,
    private readonly priceAfter: number,
  ) {
    super(name, () => ({ action: 'hold' }), 'ai');
    this.exitAnswer = { outcome: 'valid', shouldExit: true, confidence: 0.9, reason: 'momentum turned' };
  }

  override async exitOpinion(position: Position, snapshot: MarketSnapshot): Promise<ExitVote> {
    this.market.setPrice('BTCUSDT', this.priceAfter);
    return super.exitOpinion(position, snapshot);
  }
}

async function openedLong(priceAfterOpinion: number): Promise<{ proc: LiveProcess; store: InMemoryStore }> {
  venue = await startVenue();
  const store = new InMemoryStore();
  const exitAnalysts = [new SlowExitAnalyst('claude', venue, priceAfterOpinion), new SlowExitAnalyst('grok', venue, priceAfterOpinion)];
  proc = new LiveProcess(venue, store, { exitAnalysts });
  await proc.prepare();
  venue.setPrice('BTCUSDT', 100_000);
  expect((await proc.enter()).status).toBe('opened');
  return { proc, store };
}

describe('an AI exit opinion and the price it is acted on', () => {
  it('when the price moves into the protected band while the models answer, then the position is kept', async () => {
    // Long 0.023 BTC at 100,000: at 99,950 it is about $4.50 down after fees and slippage, and the models are asked.
    // By their answer it is at 100,200, about $1 up: a winner below the $2.50 minimum, which no discretionary exit may
    // close.
    const { proc, store } = await openedLong(100_200);
    venue!.advance(60_000);
    venue!.setPrice('BTCUSDT', 99_950);

    const result = await proc.parts.monitor.check(await store.positions.active());

    expect(result.closed).toBe(0);
    expect(await store.trades.list()).toEqual([]);
    expect((await store.positions.active()).map((p) => p.status)).toEqual(['open']);
  });

  it('when the price stays out of the band, then the models\u2019 exit closes the position', async () => {
    const { proc, store } = await openedLong(99_940);
    venue!.advance(60_000);
    venue!.setPrice('BTCUSDT', 99_950);

    const result = await proc.parts.monitor.check(await store.positions.active());

    expect(result.closed).toBe(1);
    expect((await store.trades.list()).map((t) => t.reason)).toEqual(['ai_exit']);
  });
});
