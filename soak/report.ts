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
    'The soak runs against the Binance stand-in only. Bybit and Hyperliquid are covered by the venue-parameterised live',
    'suite (`test/integration/live/venues/`: order cycle, restart reconciliation, key checks, funding) against their',
    'local stand-ins, not by a soak.',
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
  lines.push(...METHOD);
  return `${lines.join('\n')}\n`;
}

const METHOD = [
  '## How the harness works',
  '',
  '- Time: the daemon runs with `SIMULATION_SPEED`/`SIMULATION_START`; the venue clock runs at the same speed and',
  '  is aligned with the daemon after each start (the daemon stamps its "started" message with its own clock). ccxt',
  '  meters the venue\'s request budget per real minute; a preload in `soak/support/daemon-preload.ts` shortens',
  '  its window by the same speed, so the daemon gets the budget per simulated minute that it has live.',
  '- Market: prices follow the bundled 15-minute history along an assumed path inside each candle (open, low, high,',
  '  close for a rising candle; open, high, low, close for a falling one), so resting stops fire where that market',
  '  would have fired them; funding is booked every 8 hours.',
  '- Protection is sampled from the venue\'s book every 10 ms: a position counts as unprotected when it has no',
  '  reduce-only stop of ours for longer than the grace (3 s real) while the daemon runs; time the daemon spends',
  '  dead or starting is judged by the checks after each restart instead.',
  '- Duplicates: the venue applies Binance\'s documented rule (a client id is unique among open orders), so a second',
  '  order under a used id is not masked by a refusal; every filled order, entry and resting stop is counted.',
  '- Lost records: every position the venue saw go from flat to flat must have its trade row, with exactly the',
  '  venue\'s fills (by trade id); every outbox message must reach the Telegram Bot API.',
  '- Limits: the venue is a fake (no order book depth, no partial fills, fills at the last price); real time still',
  '  passes for I/O (request timeouts, AI timeouts), so at 60x one real second of waiting is a simulated minute.',
];
