// Exchange-side stop fill → trade booked and the owner notified, through the venue's private order stream: the
// daemon's loop runs with position checks an hour apart and the price streams refused, so only the order stream can
// wake it. Real ccxt (websocket client, listen key, ORDER_TRADE_UPDATE) against the local Binance USDⓈ-M venue.
// Also: a stop the venue cancels → our stop resting again (the unprotected interval), woken by the ALGO_UPDATE on the
// stream, and for comparison the same with the stream switched off, where only the position check finds it.
import { InMemoryStore } from '../src/testing/in-memory-store.js';
import { LiveProcess, startVenue, waitFor } from '../test/integration/live/live-harness.js';
import { fmt, percentiles, table, type BenchContext, type BenchOutcome } from './harness.js';

const TARGET_P99_MS = 2_000;
const HOUR = 3_600_000;
/** The position check interval of the rounds without the stream: short enough to run, the bound scales with it. */
const NO_STREAM_CHECK_MS = 10_000;

/** One round: a long at 100 000 (stop 94 000), then the price through the stop; milliseconds until the close is told. */
async function oneRound(): Promise<number> {
  const venue = await startVenue();
  const proc = new LiveProcess(venue, new InMemoryStore(), { positionCheckMs: HOUR });
  try {
    venue.setPrice('BTCUSDT', 100_000);
    venue.refuseWebSockets(true);
    await proc.prepare();
    if ((await proc.enter()).status !== 'opened') throw new Error('the entry did not open');
    let toldAt: number | undefined;
    const notify = proc.notifier.notify.bind(proc.notifier);
    proc.notifier.notify = async (event, within) => {
      if (event.type === 'position_closed') toldAt ??= performance.now();
      return notify(event, within);
    };
    proc.startLoop();
    await waitFor(() => venue.openUserDataStreams === 1, 'the order stream');
    const filledAt = performance.now();
    venue.setPrice('BTCUSDT', 93_500);
    await waitFor(() => toldAt !== undefined, 'the close to be told', 30_000);
    return (toldAt ?? Number.NaN) - filledAt;
  } finally {
    await proc.close();
    await venue.close();
  }
}

/** Polls the venue's book every millisecond until `condition` holds; the instant it was seen. */
async function seenAt(condition: () => boolean, what: string, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return performance.now();
}

/**
 * One round: a long with its stop resting, then the venue cancels the stop; milliseconds until a stop of ours rests
 * again (unprotected), and until it is verified and the owner told. `stream: false` switches the order stream off, and
 * the venue cancels the stop at a random moment of the check interval.
 */
async function oneCancelRound(stream: boolean, random: () => number): Promise<{ unprotectedMs: number; toldMs: number }> {
  const venue = await startVenue();
  const proc = new LiveProcess(venue, new InMemoryStore(), { positionCheckMs: stream ? HOUR : NO_STREAM_CHECK_MS });
  try {
    venue.setPrice('BTCUSDT', 100_000);
    venue.refuseWebSockets(true);
    await proc.prepare();
    if ((await proc.enter()).status !== 'opened') throw new Error('the entry did not open');
    // Without `watchOrders` the daemon has no order stream, as on a venue that offers none.
    if (!stream) Object.defineProperty(proc.exchange, 'watchOrders', { value: undefined });
    // The loop's schedule runs on the venue's clock, which moves with real time here.
    venue.runClock(true);
    proc.startLoop();
    if (stream) await waitFor(() => venue.openUserDataStreams === 1, 'the order stream');
    else await new Promise((resolve) => setTimeout(resolve, random() * NO_STREAM_CHECK_MS));
    const resting = () => venue.book.algoOrders.some((a) => a.algoStatus === 'NEW' && a.clientAlgoId.startsWith('ltd-'));
    const told = () => proc.notifier.ofType('alert').some((a) => a.incident === 'reprotected:1');
    const cancelledAt = performance.now();
    venue.dropStops('BTCUSDT', 'CANCELED');
    const limit = (stream ? 30_000 : NO_STREAM_CHECK_MS + 30_000);
    const restingAt = await seenAt(resting, 'the stop to rest again', limit);
    const toldAt = await seenAt(told, 'the owner to be told', limit);
    return { unprotectedMs: restingAt - cancelledAt, toldMs: toldAt - cancelledAt };
  } finally {
    await proc.close();
    await venue.close();
  }
}

/** A small deterministic generator: the rounds without the stream cancel at the same moments every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

export async function runStopFillLatency(ctx: BenchContext): Promise<BenchOutcome> {
  const rounds = ctx.mode === 'quick' ? 3 : 30;
  const samples: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    ctx.progress(`round ${round + 1} of ${rounds}`);
    samples.push(await oneRound());
  }
  const p = percentiles(samples);
  const cancelRounds = ctx.mode === 'quick' ? 2 : 10;
  const random = seeded(20);
  const withStream: { unprotectedMs: number; toldMs: number }[] = [];
  const withoutStream: { unprotectedMs: number; toldMs: number }[] = [];
  for (let round = 0; round < cancelRounds; round += 1) {
    ctx.progress(`cancelled stop, round ${round + 1} of ${cancelRounds} with the order stream`);
    withStream.push(await oneCancelRound(true, random));
  }
  for (let round = 0; round < cancelRounds; round += 1) {
    ctx.progress(`cancelled stop, round ${round + 1} of ${cancelRounds} without it`);
    withoutStream.push(await oneCancelRound(false, random));
  }
  const gap = percentiles(withStream.map((r) => r.unprotectedMs));
  const gapTold = percentiles(withStream.map((r) => r.toldMs));
  const gapWithout = percentiles(withoutStream.map((r) => r.unprotectedMs));
  const markdown = [
    `${rounds} rounds, each on a fresh local venue and daemon: a long opened at 100,000 with its stop on the venue at 94,000; the loop running with position checks an hour apart and the market price streams refused, so the private order stream is the only thing that can wake it; then the venue's price set to 93,500, which fills the stop at the venue. Measured from setting the price to the position_closed message handed to the notifier (the trade booked in the same transaction), polled every 10 ms.`,
    '',
    table(['rounds', 'p50', 'p95', 'p99', 'max'], [[String(p.n), fmt.ms(p.p50), fmt.ms(p.p95), fmt.ms(p.p99), fmt.ms(p.max)]]),
    '',
    'Without the order stream, and without a price stream, the same fill waits for the next position check: up to `POSITION_CHECK_SECONDS` (60 s by default).',
    '',
    '### A stop the venue cancels',
    '',
    `${cancelRounds} rounds each way, each on a fresh venue and daemon: the same long with its stop resting, then the venue cancels the stop (as after a leverage or margin change). Unprotected: from the cancel to a stop of ours resting on the venue again (the book polled every millisecond); told: until the \`reprotected\` alert, which goes out after the stop is verified among the open orders. With the stream, position checks are an hour apart, so the venue's ALGO_UPDATE is what wakes the daemon. Without it (\`watchOrders\` removed, as on a venue without a private stream), checks run every ${NO_STREAM_CHECK_MS / 1000} s and the cancel comes at a random moment of the interval.`,
    '',
    table(
      ['', 'rounds', 'p50', 'p95', 'max'],
      [
        ['unprotected, with the order stream', String(gap.n), fmt.ms(gap.p50), fmt.ms(gap.p95), fmt.ms(gap.max)],
        ['placed again, verified and told, with the stream', String(gapTold.n), fmt.ms(gapTold.p50), fmt.ms(gapTold.p95), fmt.ms(gapTold.max)],
        [`unprotected, without the stream (checks every ${NO_STREAM_CHECK_MS / 1000} s)`, String(gapWithout.n), fmt.ms(gapWithout.p50), fmt.ms(gapWithout.p95), fmt.ms(gapWithout.max)],
      ],
    ),
    '',
    `Without the stream the interval is the wait for the next check plus the repair, so at the default \`POSITION_CHECK_SECONDS=60\` it is up to 60 s plus the repair; with the stream it is the repair alone.`,
  ].join('\n');
  return {
    id: 'fills',
    title: 'Stop fill on the exchange booked and told',
    markdown,
    summary: [
      `stop fill → booked and told: p50 ${fmt.ms(p.p50)}, p99 ${fmt.ms(p.p99)} (${rounds} rounds)`,
      `cancelled stop → resting again: with the order stream p50 ${fmt.ms(gap.p50)}, max ${fmt.ms(gap.max)}; without (checks every ${NO_STREAM_CHECK_MS / 1000} s) p50 ${fmt.ms(gapWithout.p50)}, max ${fmt.ms(gapWithout.max)}`,
    ],
    checks: [
      { what: `stop fill → trade booked and owner notified, p99 < ${fmt.s(TARGET_P99_MS)}`, measured: fmt.ms(p.p99), passed: p.p99 < TARGET_P99_MS, gate: false },
      { what: `stop cancelled by the venue → resting again with the order stream, max < ${fmt.s(TARGET_P99_MS)}`, measured: fmt.ms(gap.max), passed: gap.max < TARGET_P99_MS, gate: false },
    ],
  };
}
