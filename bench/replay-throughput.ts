// Replay throughput of the whole engine (technical analysts, paper exchange, a store) over a year of 10 markets on 15m
// candles, each replay in a fresh process: on the in-memory store a backtest records into, and on PGlite, as
// backtests ran before, side by side; where the time goes (a CPU profile of each); the ratio of a replay to a fixed
// baseline computation, the CI gate; and the indicator baseline that justified computing indicators ourselves.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledHistoryDir, loadHistory } from '../src/adapters/market-data/replay/index.js';
import { databaseUrl } from '../test/support/services.js';
import { PROJECT_ROOT, runChild } from './child-process.js';
import { summariseProfile, type ProfileSummary } from './cpu-profile.js';
import { fmt, table, type BenchContext, type BenchOutcome, type Check } from './harness.js';
import { measureIndicatorBaseline, type IndicatorBaseline } from './indicator-baseline.js';
import type { ReplayRun, ReplayStoreKind } from './replay-child.js';

const YEAR_DIR = join(PROJECT_ROOT, 'bench', 'data', 'binance-usdm');
/** A year of 15m candles for 10 markets (the data's six, four of them again under new names): the target's unit of work. */
const YEAR = { symbols: 10, to: '2026-02-05T00:00:00Z' };
const TARGET_SECONDS = 15;
const TARGET_PEAK_RSS_BYTES = 300 * 1_048_576;
/** Ten simulated days of the bundled history in which the technical analysts trade: the gate's replay. */
const GATE_WINDOW = { from: '2025-10-01T00:00:00Z', to: '2025-10-11T00:00:00Z' };
const GATE_ROUNDS = 8;
/**
 * Processes the gate replays in, one after another: a whole process can run its rounds at another ratio than the next
 * (0.97 in one of eight processes on an idle machine where the others gave 0.82-0.87), so the gate takes the median of
 * the processes' figures.
 */
const GATE_PROCESSES = 3;
/** The first replays of a process run while the JIT is still compiling the engine (each faster than the last). */
const GATE_WARMUP_ROUNDS = 2;
/**
 * The gate's replay as a multiple of the baseline computation: each warm replay round's CPU time over the mean of the
 * two baseline rounds either side of it, and the median of those ratios. A round and its neighbours share the
 * machine's moment and the process's heap, so a slow minute or an unlucky collection moves both sides of one ratio,
 * and no single round decides the figure. (The gate first took the fastest replay over the fastest baseline, from
 * different moments of the run: one lucky baseline round failed a CI run at 0.99 whose reruns gave 0.81-0.88.)
 * Measured 2026-12-05 on an idle 2-core machine: 0.81-0.86 over five runs with the bundled six markets; the same
 * replay with 12 markets measured 1.05 and 1.16, above the limit, which is the one set with the gate (1.6 × 0.6).
 * Since the replay clock yields a macrotask only at every 64th sleep: 0.57-0.60 (another machine, idle).
 */
const REFERENCE_RATIO = 0.6;
const GATE_LIMIT = 1.6 * REFERENCE_RATIO;
const REPLAY_LIMIT_MS = 15 * 60_000;

const stepsPerSecond = (run: ReplayRun): number => run.candleSteps / (run.replayMs / 1000);

interface ReplayOptions {
  readonly store?: ReplayStoreKind;
  readonly symbols?: number;
  readonly from?: string;
  readonly to?: string;
  readonly baselineRounds?: number;
  readonly profileDir?: string;
}

function replay(history: string, options: ReplayOptions = {}): Promise<ReplayRun> {
  const args = ['--history', history, '--store', options.store ?? 'memory'];
  if (options.symbols) args.push('--symbols', String(options.symbols));
  if (options.from) args.push('--from', options.from);
  if (options.to) args.push('--to', options.to);
  if (options.baselineRounds) args.push('--baseline-rounds', String(options.baselineRounds));
  const nodeFlags = options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : [];
  return runChild<ReplayRun>('replay-child.ts', args, { nodeFlags, timeoutMs: REPLAY_LIMIT_MS });
}

/** A replay under --cpu-prof, summarised over the replay alone (start-up and store opening left out). */
async function profiledReplay(history: string, options: ReplayOptions): Promise<{ run: ReplayRun; profile: ProfileSummary }> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-profile-'));
  try {
    const run = await replay(history, { ...options, profileDir: dir });
    // The TypeScript loader's worker thread writes a small profile of its own; the main thread's is the large one.
    const files = await Promise.all((await readdir(dir)).map(async (name) => ({ name, size: (await stat(join(dir, name))).size })));
    const main = files.sort((a, b) => b.size - a.size)[0];
    if (!main) throw new Error('the profiled replay wrote no profile');
    return { run, profile: await summariseProfile(join(dir, main.name), PROJECT_ROOT, run.profileWindow, 12) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Each warm replay round over the mean of its two neighbouring baseline rounds (baseline, replay, baseline, …). */
function pairedRatios(run: ReplayRun): number[] {
  if (!run.rounds) throw new Error('the gate replay ran without baseline rounds');
  const { replayCpuMs, baselineCpuMs } = run.rounds;
  return replayCpuMs.flatMap((cpuMs, index) => {
    const before = baselineCpuMs[index];
    const after = baselineCpuMs[index + 1];
    return index < GATE_WARMUP_ROUNDS || before === undefined || after === undefined ? [] : [cpuMs / ((before + after) / 2)];
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) throw new Error('the median of nothing');
  const middle = sorted.length / 2;
  return Number.isInteger(middle) ? ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2 : (sorted[Math.floor(middle)] ?? NaN);
}

/** One process's figure: the median of its paired ratios. */
const processRatio = (run: ReplayRun): number => median(pairedRatios(run));

const STORE_LABELS: Record<ReplayStoreKind, string> = {
  memory: 'in-memory store (backtests now)',
  pglite: 'PGlite in memory (backtests before)',
  postgres: 'Postgres (`DATABASE_URL`)',
};

function runRow(run: ReplayRun): string[] {
  const days = (Date.parse(run.end) - Date.parse(run.start)) / 86_400_000;
  return [
    STORE_LABELS[run.store],
    `${run.symbols} × ${days.toFixed(0)} days`,
    fmt.int(run.candleSteps),
    fmt.s(run.replayMs),
    fmt.s(run.replayCpuMs),
    fmt.s(run.processMs),
    fmt.int(stepsPerSecond(run)),
    fmt.mb(run.peakRssBytes),
    String(run.trades),
  ];
}

function profileMarkdown(label: string, profile: ProfileSummary, run: ReplayRun): string {
  return [
    `**${label}** (\`node --cpu-prof\` on a separate child process, ${fmt.int(stepsPerSecond(run))} steps/s under the profiler), summarised over the replay only (${fmt.s(profile.totalMs)} of samples; start-up and store opening left out). Time in Node's own internals (promises, abort signals, buffers) is charged to the nearest caller in our code or a library:`,
    '',
    table(['area', 'time', 'share'], profile.areas.slice(0, 9).map((area) => [area.area, fmt.s(area.ms), fmt.pct(area.share)])),
    '',
    'Functions with the most self time:',
    '',
    table(['function (file)', 'self time', 'share'], profile.top.map((hot) => [`\`${hot.where}\``, fmt.s(hot.selfMs), fmt.pct(hot.share)])),
  ].join('\n');
}

function indicatorMarkdown(baseline: IndicatorBaseline): string {
  return [
    table(
      ['indicator computation of one snapshot (3 timeframes × 250 candles)', 'µs per snapshot', 'relative'],
      [
        ['`technicalindicators` 3.1, every series recomputed from scratch (RSI, MACD, Bollinger, SMA/EMA 20/50/200, ATR, ADX, volume SMA)', fmt.int(baseline.libraryUsPerSnapshot), '1.0x'],
        ['ours: `computeIndicators`, one fused pass per timeframe', baseline.oursUsPerSnapshot.toFixed(0), fmt.ratio(baseline.speedup)],
      ],
    ),
    '',
    `Median of several rounds over ${baseline.snapshots} consecutive real BTCUSDT snapshots, after a warm-up round. The library builds a full series per indicator (arrays of objects) to read only its last value; ours keeps every running average in a local number. At the library's cost a replay step would spend ${fmt.ms(baseline.libraryUsPerSnapshot / 1000)} per assessed snapshot on indicators alone, i.e. at most ${fmt.int(1e6 / baseline.libraryUsPerSnapshot)} snapshots per second on one core.`,
  ].join('\n');
}

export async function runReplayThroughput(ctx: BenchContext): Promise<BenchOutcome> {
  const quick = ctx.mode === 'quick';
  const bundled = bundledHistoryDir();
  ctx.progress('indicator baseline: technicalindicators vs computeIndicators');
  const indicators = measureIndicatorBaseline(await loadHistory(bundled, { symbols: ['BTC/USDT:USDT'] }), quick ? { snapshots: 40, rounds: 3 } : { snapshots: 200, rounds: 7 });
  ctx.progress(`indicators: ${indicators.libraryUsPerSnapshot.toFixed(0)} µs vs ${indicators.oursUsPerSnapshot.toFixed(0)} µs per snapshot`);

  const checks: Check[] = [];
  const tradeCheck = (label: string, run: ReplayRun) =>
    checks.push({ what: `${label}: the replay trades and logs no engine error`, measured: `${run.trades} trades, ${run.engineErrors} errors`, passed: run.trades > 0 && run.engineErrors === 0, gate: true });
  checks.push({ what: 'computeIndicators ≥ 2x faster than technicalindicators', measured: fmt.ratio(indicators.speedup), passed: indicators.speedup >= 2, gate: true });

  const gates: ReplayRun[] = [];
  for (let index = 1; index <= GATE_PROCESSES; index += 1) {
    ctx.progress(`gate ${index}/${GATE_PROCESSES}: 10 days of the bundled history × ${GATE_ROUNDS}, interleaved with the baseline computation`);
    gates.push(await replay(bundled, { ...GATE_WINDOW, baselineRounds: GATE_ROUNDS }));
  }
  const [gate] = gates;
  if (!gate) throw new Error('the gate ran no replay');
  const ratio = median(gates.map(processRatio));
  tradeCheck('10-day replay', gate);
  checks.push({
    what: `replay / baseline computation ≤ ${GATE_LIMIT.toFixed(2)}, the median of ${GATE_PROCESSES} processes' medians of ${GATE_ROUNDS - GATE_WARMUP_ROUNDS} paired warm rounds (1.6 × the ${REFERENCE_RATIO} measured when the gate was set; 12 markets instead of 6 measure 1.05-1.16)`,
    measured: ratio.toFixed(2),
    passed: ratio <= GATE_LIMIT,
    gate: true,
  });
  const gateLine = `gate: 10 days × ${gate.symbols} markets, ${fmt.int(gate.candleSteps)} steps; warm replay rounds over their neighbouring baseline rounds, by process: ${gates.map((run) => `${pairedRatios(run).map((r) => r.toFixed(2)).join(', ')} (median ${processRatio(run).toFixed(2)})`).join('; ')}; the median of the processes ${ratio.toFixed(2)} (limit ${GATE_LIMIT.toFixed(2)})`;
  if (quick) {
    const summary = [gateLine, `indicators ${fmt.ratio(indicators.speedup)} faster than technicalindicators`];
    return { id: 'replay', title: 'Replay throughput', markdown: summary.join('\n'), summary, checks };
  }

  if (!existsSync(join(YEAR_DIR, 'klines'))) {
    throw new Error(`${YEAR_DIR} is missing: the year of data ships with the repository (bench/data/README.md); a checkout without it cannot run this benchmark`);
  }
  ctx.progress('a year of 10 markets on the in-memory store');
  const memoryRun = await replay(YEAR_DIR, YEAR);
  ctx.progress(`in memory: ${fmt.s(memoryRun.replayMs)}; the same year on PGlite, as backtests ran before`);
  const pgliteRun = await replay(YEAR_DIR, { ...YEAR, store: 'pglite' });
  ctx.progress(`PGlite: ${fmt.s(pgliteRun.replayMs)}; both once more under the CPU profiler`);
  const after = await profiledReplay(YEAR_DIR, YEAR);
  const before = await profiledReplay(YEAR_DIR, { ...YEAR, store: 'pglite' });
  let postgresRun: ReplayRun | undefined;
  if (databaseUrl()) {
    ctx.progress('the year once more with Postgres (DATABASE_URL)');
    postgresRun = await replay(YEAR_DIR, { ...YEAR, store: 'postgres' });
    tradeCheck('year replay on Postgres', postgresRun);
  }
  tradeCheck('year replay, in memory', memoryRun);
  tradeCheck('year replay, PGlite', pgliteRun);
  checks.push({ what: 'the year trades the same on the in-memory store as on PGlite', measured: `${memoryRun.trades} and ${pgliteRun.trades} trades`, passed: memoryRun.trades === pgliteRun.trades, gate: true });
  checks.unshift(
    { what: `a year of 10 markets (${fmt.int(memoryRun.candleSteps)} steps) ≤ ${TARGET_SECONDS} s, measured (\`runReplay\`, in-memory store)`, measured: fmt.s(memoryRun.replayMs), passed: memoryRun.replayMs <= TARGET_SECONDS * 1000, gate: false },
    { what: 'the same year on PGlite (as backtests ran before)', measured: fmt.s(pgliteRun.replayMs), passed: true, gate: false, reported: true },
    { what: 'backtest peak RSS ≤ 300 MB for the year of 10 markets (whole process, in-memory store)', measured: fmt.mb(memoryRun.peakRssBytes), passed: memoryRun.peakRssBytes <= TARGET_PEAK_RSS_BYTES, gate: false },
    { what: 'backtest peak RSS on PGlite (as backtests ran before)', measured: fmt.mb(pgliteRun.peakRssBytes), passed: true, gate: false, reported: true },
  );

  const markdown = [
    `The unmodified engine on simulated time (\`runReplay\`: technical analysts, each judging a closed 15m candle once and repeating that answer until the next closes, the paper exchange and its fill simulator, the live schedule of a scan every 5 minutes and a position check every 60 s) over a year (${memoryRun.start.slice(0, 10)} → ${memoryRun.end.slice(0, 10)}, after 35 days of indicator warm-up) of 10 markets: the six real series of \`bench/data/binance-usdm/\` and four of them again under new names (\`bench/reused-history.ts\`), each with candle memory of its own. Each replay runs in a fresh process. The replay time is \`runReplay\` from call to return; the process time adds Node's start, the TypeScript loader, reading the data (${fmt.s(memoryRun.loadMs)}) and opening the store (PGlite: ${fmt.s(pgliteRun.storeOpenMs)}); peak RSS is the kernel's high-water mark of the whole process. \`npm run backtest\` now records into the in-memory store (\`--db DIR\` keeps PGlite); its report on the bundled history is the same on both.`,
    '',
    table(['store', 'replayed', 'candle steps', 'replay', 'replay CPU', 'whole process', 'steps/s', 'peak RSS', 'trades'], [
      runRow(memoryRun),
      runRow(pgliteRun),
      ...(postgresRun ? [runRow(postgresRun)] : []),
    ]),
    '',
    '**Where the time goes.** Before: the year on PGlite, as backtests ran before this change (the code of the replay is today\'s, so the difference between the two profiles is the store alone plus the engine work that the store\'s share hid). After: the in-memory store.',
    '',
    profileMarkdown('Before (PGlite)', before.profile, before.run),
    '',
    profileMarkdown('After (in-memory store)', after.profile, after.run),
    '',
    // Written from the profiles of 2026-12-04; re-read them when the shares move.
    `**Reading the profiles, by the issue's candidates.** *Store writes*: PGlite took 19% of the replay (its WebAssembly Postgres 10.6% alone) and 20 s to open under load; the in-memory store takes 2%, and a backtest's report is the same on it (the contract tests hold it to PGlite's and Postgres's rules). *Per-step allocations*: the garbage collector's share fell from 11.9% to 9.9%; what remains is mostly snapshot objects, label strings and \`Date\`s from the clock. *Indicator recomputation*: \`computeIndicators\` already runs once per closed candle and timeframe (the snapshot service keeps a view until its next candle closes); it is now the largest single cost (17%). A streaming form would not give the same numbers: every window's EMAs, RSI and ADX are seeded at the window's first candle, so values carried over the whole history differ in their last digits and the trades would change. *The schedule's empty wake-ups*: the loop already sleeps to its next deadline (a scan every 5 minutes, a position check every 60 s only while a position is open); the clock's share is 2-3%. What is left is spread thin over the engine's snapshots and scans, the technical analysts' evidence labels (\`num\`, 5%) and the replay's market data.`,
    '',
    `**CI gate.** \`npm run bench -- --quick\` replays 10 days of the bundled history (${fmt.int(gate.candleSteps)} steps) ${GATE_ROUNDS} times on fresh stores in each of ${GATE_PROCESSES} processes, interleaved with a fixed computation that none of our code takes part in (\`technicalindicators\` over a fixed pseudo-random walk, \`bench/indicator-baseline.ts\`), and divides each warm replay round's CPU time (the first ${GATE_WARMUP_ROUNDS} rounds are the JIT's warm-up) by the mean of the baseline rounds just before and after it; each process's figure is the median of those ratios, and the gate is the median of the processes' figures. A busy machine slows a round and its neighbours alike, and the median keeps one unlucky round from deciding. When the gate was set the six markets measured 0.57 and twelve 1.06; on 2026-12-05 the six measured 0.81-0.86 and twelve 1.05-1.16 (on the same machine, the replay rounds of the gate's first commit took 370-540 ms of CPU against 530-570 ms today, after a day of new engine features, and its baseline rounds about a fifth more: the baseline runs faster in a process that holds the compact history), so the margin is now about 12%, and a replay that needs about 12% more CPU than today's fails. Here: ${gateLine}.`,
    '',
    '**Baseline: indicators.**',
    '',
    indicatorMarkdown(indicators),
  ].join('\n');
  const summary = [
    `year of 10 markets: ${fmt.s(memoryRun.replayMs)} in memory (${fmt.int(stepsPerSecond(memoryRun))} steps/s, peak RSS ${fmt.mb(memoryRun.peakRssBytes)}), ${fmt.s(pgliteRun.replayMs)} on PGlite (peak RSS ${fmt.mb(pgliteRun.peakRssBytes)}); target ≤ ${TARGET_SECONDS} s and ≤ 300 MB`,
    gateLine,
    postgresRun ? `year on Postgres: ${fmt.s(postgresRun.replayMs)}` : 'year on Postgres: skipped (DATABASE_URL not set)',
    `indicators per snapshot: technicalindicators ${fmt.int(indicators.libraryUsPerSnapshot)} µs, ours ${indicators.oursUsPerSnapshot.toFixed(0)} µs (${fmt.ratio(indicators.speedup)})`,
  ];
  return { id: 'replay', title: 'Replay throughput', markdown, summary, checks };
}
