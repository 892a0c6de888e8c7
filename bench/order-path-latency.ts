// Protection latency of the live order path, through the engine and real ccxt against the local fake Binance venue:
//   decision -> stop verified: the opener acting on a decision until the protective stop is seen among open orders;
//   fill -> stop verified: within that, the entry order reaching the venue (a market order fills on arrival) until
//     the last look at the open stop orders that confirmed the stop;
//   stream push -> close at the venue: a price beyond the exit level pushed on the venue's websocket until the close
//     order arrives, with ccxt's request-weight budget rested (the usual case) and right after the entry's burst of
//     requests (the worst case).
// What the figures include: every HTTP round trip over loopback, request signing, ccxt's own rate limiter (the
// venue's request weights are paid as waits), the in-memory store, and for the close the websocket push, the price
// watcher waking the daemon, a fresh REST read of price, mark and funding and the position read before the close.
// They exclude real network latency and the venue's matching time: production adds a few round trips to these.
import { priceForNetPnl } from '../src/domain/exit-rules.js';
import type { Opportunity } from '../src/engine/open-position.js';
import { InMemoryStore } from '../src/testing/in-memory-store.js';
import { BTC, LiveProcess, startVenue } from '../test/integration/live/live-harness.js';
import { fmt, percentiles, table, type BenchContext, type BenchOutcome, type Percentiles } from './harness.js';

const ENTRY_PRICE = 100_000;
const TARGET_MS = 1_000;
/** ccxt spaces requests by their weight; 2 s lets the budget of the entry's requests recover, as between heartbeats. */
const REST_MS = 2_000;
/**
 * ccxt meters the venue's request weight over a rolling minute (1,200 units) and an entry-protect-close cycle with
 * the daemon's follow-up scan costs about 100. Faster than one cycle per 6 s, the bench itself would exhaust the
 * budget and measure ccxt waiting out the window, a pace live trading (a scan every 5 minutes) never reaches.
 */
const MIN_CYCLE_MS = 6_000;

interface LatencyFigures {
  readonly decisionToStop: Percentiles;
  readonly fillToStop: Percentiles;
  readonly pushToCloseRested: Percentiles;
  readonly pushToCloseBackToBack: Percentiles;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

export async function measureOrderPath(iterations: number, progress: (message: string) => void): Promise<LatencyFigures> {
  const venue = await startVenue({ balance: 1_000 });
  const store = new InMemoryStore();
  let ticks = 0;
  // A heartbeat of an hour, so every close measured is the stream's doing.
  const proc = new LiveProcess(venue, store, { positionCheckMs: 60 * 60_000, observer: { tick: () => (ticks += 1) } });
  const decisionToStop: number[] = [];
  const fillToStop: number[] = [];
  const rested: number[] = [];
  const backToBack: number[] = [];
  try {
    venue.setPrice('BTCUSDT', ENTRY_PRICE);
    await proc.prepare();
    const best = (await proc.parts.scanner.scan([BTC])).best;
    if (!best || best.consensus.decision === 'hold') throw new Error('the scripted analysts did not produce a trade');
    const opportunity: Opportunity = { snapshot: best.snapshot, consensus: { ...best.consensus, decision: best.consensus.decision }, score: best.score };
    // From here the daemon's own scans find nothing; entries come only from the measured opener calls.
    for (const analyst of proc.analysts) analyst.answer(() => ({ action: 'hold' }));
    await proc.daemon.start();
    proc.startLoop();
    await until(() => ticks > 0, 'the first tick');

    let cycleStarted = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < iterations; i += 1) {
      const pause = cycleStarted + MIN_CYCLE_MS - performance.now();
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
      cycleStarted = performance.now();
      venue.advance(1_000); // each trade's fills get their own instant
      const started = performance.now();
      const before = venue.requests.length;
      const outcome = await proc.parts.opener.open(opportunity);
      decisionToStop.push(performance.now() - started);
      if (outcome.status !== 'opened') throw new Error(`iteration ${i}: the entry was not opened (${JSON.stringify(outcome)})`);
      const sent = venue.requests.slice(before);
      const entry = sent.find((r) => r.method === 'POST' && r.path === '/fapi/v1/order');
      const verified = sent.filter((r) => r.method === 'GET' && r.path === '/fapi/v1/openAlgoOrders').pop();
      if (!entry || !verified) throw new Error(`iteration ${i}: no entry order or no stop verification reached the venue`);
      fillToStop.push(verified.at - entry.at);
      const { position } = outcome;
      const closeId = `ltd-${position.id}-close`;
      // Half a percent beyond the price at which the take-profit rule fires, whatever size the risk rules chose.
      const { exits, costs } = proc.settings;
      const exitPrice = Math.ceil(priceForNetPnl(position, exits.takeProfitMultiple * exits.minProfitUsd, costs) * 1.005);

      // Let the daemon see the position and start watching its price, as it does after its own entries.
      const ticksBefore = ticks;
      proc.daemon.wake();
      await until(() => ticks > ticksBefore, 'the daemon to pick up the position');
      await until(() => venue.streamSubscriptions.length > 0 && proc.marketData.delivered.length > 0, 'the price stream');

      const isRested = i % 2 === 0;
      if (isRested) await new Promise((resolve) => setTimeout(resolve, REST_MS));
      const requestsBefore = venue.requests.length;
      const ticksAtPush = ticks;
      venue.setPrice('BTCUSDT', exitPrice);
      const pushed = performance.now();
      await until(
        () => venue.requests.slice(requestsBefore).some((r) => r.method === 'POST' && r.params['newClientOrderId'] === closeId),
        `the close of position ${position.id}`,
      );
      (isRested ? rested : backToBack).push(performance.now() - pushed);

      const booked = i + 1;
      await until(async () => (await store.trades.count()) === booked, 'the trade to be booked');
      // The tick the push woke closes and books; the next entry waits for it to end. (After a close the symbol waits
      // for a fresh candle, so that tick scans nothing and may end before the booking is seen here.)
      await until(() => ticks > ticksAtPush, 'the daemon to finish its tick');
      venue.setPrice('BTCUSDT', ENTRY_PRICE);
      if ((i + 1) % 10 === 0 || i + 1 === iterations) progress(`${i + 1}/${iterations} entries opened, protected and closed`);
    }
  } finally {
    await proc.close();
    await venue.close();
  }
  return {
    decisionToStop: percentiles(decisionToStop),
    fillToStop: percentiles(fillToStop),
    pushToCloseRested: percentiles(rested),
    pushToCloseBackToBack: percentiles(backToBack),
  };
}

export async function runLatency(ctx: BenchContext): Promise<BenchOutcome> {
  const iterations = ctx.mode === 'quick' ? 5 : 50;
  const figures = await measureOrderPath(iterations, ctx.progress);
  const row = (name: string, p: Percentiles, target: boolean): string[] => [
    name,
    String(p.n),
    fmt.ms(p.p50),
    fmt.ms(p.p95),
    fmt.ms(p.p99),
    fmt.ms(p.max),
    target ? `p99 < 1 s: ${fmt.verdict(p.p99 < TARGET_MS)}` : '(context)',
  ];
  const rows = [
    row('fill → stop verified', figures.fillToStop, true),
    row('decision → stop verified', figures.decisionToStop, false),
    row('stream push → close at the venue (rested)', figures.pushToCloseRested, true),
    row('stream push → close at the venue (back-to-back)', figures.pushToCloseBackToBack, true),
  ];
  const checks = [
    { what: 'fill → stop verified, p99 < 1 s', measured: fmt.ms(figures.fillToStop.p99), passed: figures.fillToStop.p99 < TARGET_MS, gate: false },
    { what: 'stream push → close at the venue (rested), p99 < 1 s', measured: fmt.ms(figures.pushToCloseRested.p99), passed: figures.pushToCloseRested.p99 < TARGET_MS, gate: false },
    { what: 'stream push → close at the venue (back-to-back), p99 < 1 s', measured: fmt.ms(figures.pushToCloseBackToBack.p99), passed: figures.pushToCloseBackToBack.p99 < TARGET_MS, gate: false },
    { what: 'every entry protected by a verified stop and closed', measured: `${figures.fillToStop.n}/${iterations}`, passed: figures.fillToStop.n === iterations, gate: true },
  ];
  const markdown = [
    `N = ${iterations} entries, one at most every ${MIN_CYCLE_MS / 1000} s (so that the run stays within the venue's request-weight budget, which ccxt meters per rolling minute), each opened by the engine's opener through real ccxt against the local fake Binance venue (HTTP and websocket on 127.0.0.1), protected by an exchange-side stop, then closed by the daemon when a price beyond the take-profit level is pushed on the venue's stream. Odd iterations push right after the entry's burst of requests (back-to-back); even ones wait ${REST_MS / 1000} s first (rested). Nearest-rank percentiles of wall-clock time.`,
    '',
    table(['path', 'n', 'p50', 'p95', 'p99', 'max', 'target'], rows),
    '',
    `Every path stays ${[figures.fillToStop, figures.pushToCloseRested, figures.pushToCloseBackToBack].every((p) => p.p99 < TARGET_MS) ? 'under' : '**not** under'} the 1 s target at p99; what is left of the second is the budget for real network round trips.`,
    '',
    "The figures include every loopback round trip, request signing and ccxt's rate limiter (`enableRateLimit`: the venue's request weights are paid as waits), the in-memory store, and for the close the websocket push, the price watcher waking the daemon, a fresh REST read of price, mark and funding and the position read before the close order. They exclude real network latency and the venue's matching time: in production add a few round trips to the exchange (tens of ms each from a nearby region).",
  ].join('\n');
  const summary = rows.map((cells) => `${cells[0]}: p50 ${cells[2]}, p99 ${cells[4]}, max ${cells[5]} ${cells[6] === '(context)' ? '' : `(${cells[6]})`}`.trim());
  return { id: 'latency', title: 'Protection latency', markdown, summary, checks };
}
