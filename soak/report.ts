// The run's totals for the console, and RELIABILITY.md: when and where it ran, then per scenario what was
// injected, what was checked, the result and its figures.
import { cpus, totalmem, type, release, arch } from 'node:os';
import { formatDuration, passed, type ScenarioResult, type Tally } from './support/scenario.js';

export function totals(results: readonly ScenarioResult[]): Tally {
  const sum: Tally = { faults: 0, positionsOpened: 0, unprotected: 0, duplicates: 0, lostRecords: 0 };
  for (const { tally } of results) {
    sum.faults += tally.faults;
    sum.positionsOpened += tally.positionsOpened;
    sum.unprotected += tally.unprotected;
    sum.duplicates += tally.duplicates;
    sum.lostRecords += tally.lostRecords;
  }
  return sum;
}

export function summaryLines(results: readonly ScenarioResult[], realMs: number): string[] {
  const sum = totals(results);
  const failed = results.filter((result) => !passed(result));
  return [
    `scenarios: ${results.length} (${results.length - failed.length} passed${failed.length > 0 ? `, failed: ${failed.map((r) => r.name).join(', ')}` : ''})`,
    `faults injected: ${sum.faults.toLocaleString('en-US')}`,
    `positions opened: ${sum.positionsOpened.toLocaleString('en-US')}`,
    `positions ever unprotected: ${sum.unprotected} (must be 0)`,
    `duplicates: ${sum.duplicates} (must be 0)`,
    `lost records: ${sum.lostRecords} (must be 0)`,
    `took ${formatDuration(realMs)}`,
  ];
}

function machine(): string {
  const cores = cpus();
  const model = cores[0]?.model.trim() ?? 'unknown CPU';
  return `${type()} ${release()} ${arch()}, ${cores.length} × ${model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export interface RunInfo {
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly seed: number;
}

export function renderReliabilityReport(results: readonly ScenarioResult[], run: RunInfo): string {
  const sum = totals(results);
  const lines: string[] = [
    '# Reliability',
    '',
    'Written by `npm run soak` (the full form). The real daemon process (`src/cli/start.ts`) trades live against a',
    'local fake Binance USDⓈ-M venue (real exchange-side stops and fills, no real money), three local AI providers,',
    'a local Telegram Bot API, a Postgres database of its own behind a TCP proxy and a Redis of its own, on an',
    'accelerated clock shared with the venue, while faults are injected. How the harness works and what it cannot',
    'show are at the end.',
    '',
    'The soak runs against the Binance stand-in, and crash-anywhere and exchange-faults again against the Bybit',
    'stand-in (`crash-anywhere-bybit`, `exchange-faults-bybit`). Hyperliquid is covered by the venue-parameterised live',
    'suite (`test/integration/live/venues/`: order cycle, restart reconciliation, key checks, funding) against its',
    'local stand-in, not by a soak.',
    '',
    `- Run: ${run.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${formatDuration(run.finishedAt.getTime() - run.startedAt.getTime())}, seed ${run.seed}`,
    `- Machine: ${machine()}`,
    '',
    '## Summary',
    '',
    '| scenarios | faults injected | positions opened | positions ever unprotected | duplicates | lost records |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${results.length} (${results.filter(passed).length} passed) | ${sum.faults.toLocaleString('en-US')} | ${sum.positionsOpened.toLocaleString('en-US')} | ${sum.unprotected} | ${sum.duplicates} | ${sum.lostRecords} |`,
    '',
  ];
  for (const result of results) {
    lines.push(`## ${result.title}`, '');
    lines.push(`**Result: ${passed(result) ? 'passed' : 'FAILED'}** (${formatDuration(result.realMs)} real, ${formatDuration(result.simulatedMs)} simulated)`, '');
    if (result.failure) lines.push(`The scenario could not finish: ${result.failure}`, '');
    lines.push('Injected:', '');
    for (const line of result.injected) lines.push(`- ${line}`);
    lines.push('', 'Checked:', '', '| check | result | detail |', '|---|---|---|');
    for (const check of result.checks) lines.push(`| ${escapeCell(check.name)} | ${check.ok ? 'ok' : '**FAILED**'} | ${escapeCell(check.detail)} |`);
    if (result.figures.length > 0) {
      lines.push('', 'Figures:', '', '| figure | value |', '|---|---:|');
      for (const [name, value] of result.figures) lines.push(`| ${escapeCell(name)} | ${escapeCell(value)} |`);
    }
    lines.push('');
  }
  lines.push(...VENUE_BEHAVIOUR, '', ...METHOD);
  return `${lines.join('\n')}\n`;
}

/** How the daemon meets real venue behaviour; the figures are in the `venue-behaviour` scenario's section above. */
const VENUE_BEHAVIOUR = [
  "## Real venue behaviour: how each case is handled",
  "",
  "Each case has a deterministic test through real ccxt against the local venue (`test/integration/live/venue-behaviour.test.ts`,",
  "`npx vitest run test/integration/live/venue-behaviour.test.ts`; the order stream's part in",
  "`test/integration/live/order-stream.test.ts`); the soak scenario `venue-behaviour` injects all but the partial entry",
  "fill and the clock skew against the running daemon (a simulated week in the full form, 75 simulated minutes in",
  "`--quick`): stops cancelled, expired or moved, hand closes and adds, full and partial ADL, liquidation, funding spikes,",
  "one maintenance and one delisting.",
  "",
  "| case | what the daemon does | decided |",
  "|---|---|---|",
  "| the venue cancels or expires the stop | every position check looks for its stop among the open orders; when it is gone and did not fire, it is placed again (same client id), verified, and one warning alert (`reprotected:<id>`) goes out | **bound: one position check plus placing and verifying**, at the default `POSITION_CHECK_SECONDS=60` under about 70 s (the soak's longest is in its figures). **With the venue's order stream** (Binance pushes an `ALGO_UPDATE` when a conditional order is cancelled or expires) the daemon wakes at once and the bound is the repair alone: 44 ms p50, 113 ms at most from the cancel to our stop resting again on the local venue, 153 ms at most until verified and told (BENCHMARKS.md §8, 10 rounds under load); the check interval remains the bound when the stream is down (one alert says so) |",
  "| the owner closes by hand | the position is booked from the venue's fills, reason `manual_on_exchange` (the closing order's client id is not ours), and its stop is cancelled at once | |",
  "| the owner adds to the position | per `ORPHAN_POSITION_POLICY`, at the next check, with one alert (`added:<id>`); no second entry. `adopt` (default): the position grows to the venue's size (average entry and fees from the fills) and its stop is re-armed for the whole size: the new stop goes out under the next version of the stop's client id (`-stop.N`), is verified among the open orders, the record takes the new terms with it, and only then is the old stop cancelled. `close`: the added part is closed at market (reduce-only) | the re-armed stop sits at the tighter of the current stop and `stopLossPct` from the new average entry (a trailed stop is never loosened by an add). When that stop would trigger at once, or the new stop cannot be placed and verified, the added part is closed at market whatever the policy: the old stop still covers the daemon's part throughout, and size without a stop is never kept |",
  "| the owner moves or cancels the stop | the daemon's own stop is placed again; the owner's stop is left alone | a tighter stop of the owner's is respected by leaving it in place, not by moving ours |",
  "| the owner opens another symbol | reconciliation applies `ORPHAN_POSITION_POLICY` (adopt with the widest stop, or close) | |",
  "| partial entry fill | live entries are IOC limit orders: what fills is the position and gets a stop sized to it, the rest expires at once; the trade books the real fill | no top-up order is sent for the rest |",
  "| clock skew ±2 min | ccxt measures the time difference at start; a -1021 refusal measures it again, so the next request is signed on the venue's time; fills and funding are looked up from the entry order's venue time | daily figures and breakers roll at **the daemon's** UTC midnight; a trade counts in the daemon's UTC day of its venue close time |",
  "| maintenance (503, then -1021) | nothing is opened or closed (every order would be refused, and no order is assumed to have landed); each engine step that meets it alerts once and clears once after five quiet minutes; price wake-ups wait 15 s after a failed check instead of asking at every tick; the next reconciliation finds nothing to repair | the stop rests on the venue throughout |",
  "| ADL / liquidation | booked from the venue's fills, reason `adl` (`adl_autoclose`) or `liquidation` (`autoclose-`), leftover stop cancelled, counted once in the day's figures and the breakers a **partial** ADL (or a partial close by hand) is noticed at the next check: the record shrinks to the venue's size, the stop is re-armed for what is left (placed, verified, then the old one cancelled), and one alert (`reduced:<id>`) says who took how much at what price and what that part realised after fees; the trade is booked from all the fills (the ADL part included) when the rest closes, counted once. Re-arming is decided, not assumed away: whether a venue trims a triggered reduce-only stop larger than the position to its size or refuses it is not something the daemon relies on (the local venue refuses it and expires the stop). A reduction by an order of ours (a take-profit step) is left to that order's owner |",
  "| delisting / settlement / reduce-only | a symbol that is not `TRADING` is refused before anything is sent (\"not trading at the moment (delisted or suspended)\"); the venue's own refusal (-4140) is named; a settled position is booked with reason `settlement`; the next start's market list leaves the symbol out | a running daemon refreshes its market list daily, so until then an entry in the symbol can reach the venue and be refused (-4140, named); the soak counts such entries after its delisting |",
  "| funding spike ±1% | booked exactly from the venue's income records, shown in the position update (\"Funding so far\") and in the closed trade | entries are **not** refused on expected funding: the rate changes every interval and the holding time is not known in advance; the spike is seen and paid, and the time exit bounds it. The soak compares every trade's booked funding with the venue's payments between its first and last fill |",
];

const METHOD = [
  "## How the harness works",
  "",
  "- Time: the daemon runs with `SIMULATION_SPEED`/`SIMULATION_START`; the venue clock runs at the same speed and",
  "  is aligned with the daemon after each start (the daemon stamps its \"started\" message with its own clock). ccxt",
  "  meters the venue's request budget per real minute; a preload in `soak/support/daemon-preload.ts` shortens",
  "  its window by the same speed, so the daemon gets the budget per simulated minute that it has live.",
  "- Market: prices follow the bundled 15-minute history along an assumed path inside each candle (open, low, high,",
  "  close for a rising candle; open, high, low, close for a falling one), so resting stops fire where that market",
  "  would have fired them; funding is booked every 8 hours.",
  "- Protection is sampled from the venue's book every 10 ms: a position counts as unprotected when it has no",
  "  reduce-only stop of ours covering its size for longer than the grace (3 s real) while the daemon runs; time the",
  "  daemon spends dead or starting is judged by the checks after each restart instead. Two stops of ours on one",
  "  position count as a duplicate past the same grace (a replaced stop rests beside the old one until it is verified).",
  "- Duplicates: the venue applies Binance's documented rule (a client id is unique among open orders), so a second",
  "  order under a used id is not masked by a refusal; every filled order, entry and resting stop is counted.",
  "- Lost records: every position the venue saw go from flat to flat must have its trade row, with exactly the",
  "  venue's fills (by trade id); every outbox message must reach the Telegram Bot API.",
  "- Limits: the venue is a fake (no order book: fills at the last price, partial fills only where a test limits the",
  "  depth an IOC order meets); real time still",
  "  passes for I/O (request timeouts, AI timeouts), so at 60x one real second of waiting is a simulated minute.",
];
