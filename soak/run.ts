// npm run soak [-- --quick] [--only a,b] [--seed N] [--keep-logs]
// Runs the real daemon process against local peers and injects faults; see soak/README.md. The full form writes
// RELIABILITY.md; --quick (CI) runs a short version of each scenario and exits non-zero on any violation.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { renderReliabilityReport, summaryLines, totals } from './report.js';
import { SCENARIOS } from './scenarios/index.js';
import { passed, type ScenarioResult } from './support/scenario.js';

const REPORT_PATH = fileURLToPath(new URL('../RELIABILITY.md', import.meta.url));

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      seed: { type: 'string', default: '20251010' },
      'keep-logs': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('usage: npm run soak [-- --quick] [--only crash-anywhere,exchange-faults,...] [--seed N] [--keep-logs]');
    console.log(`scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}`);
    return 0;
  }
  const only = values.only?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !SCENARIOS.some((s) => s.name === name)) ?? [];
  if (unknown.length > 0) {
    console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
    return 2;
  }
  const seed = Number(values.seed);
  const quick = values.quick === true;
  const selected = SCENARIOS.filter((scenario) => (only ? only.includes(scenario.name) : !quick || scenario.quick));
  const root = await mkdtemp(join(tmpdir(), 'ltd-soak-'));
  console.log(`soak ${quick ? '(quick)' : '(full)'}: ${selected.length} scenario(s), seed ${seed}; logs in ${root}`);
  const startedAt = new Date();
  const results: ScenarioResult[] = [];
  for (const [index, scenario] of selected.entries()) {
    console.log(`\n[${index + 1}/${selected.length}] ${scenario.title}`);
    const dir = join(root, scenario.name);
    const result = await scenario.run({ quick, seed: seed + index, dir, log: (line) => console.log(line) });
    results.push(result);
    console.log(`  => ${passed(result) ? 'passed' : 'FAILED'} in ${(result.realMs / 1000).toFixed(0)} s`);
  }
  const finishedAt = new Date();
  console.log(`\n${summaryLines(results, finishedAt.getTime() - startedAt.getTime()).join('\n')}`);
  const allPassed = results.every(passed) && totals(results).unprotected === 0 && totals(results).duplicates === 0 && totals(results).lostRecords === 0;
  if (!quick && !only) {
    await writeFile(REPORT_PATH, renderReliabilityReport(results, { startedAt, finishedAt, seed }));
    console.log(`report written to ${REPORT_PATH}`);
  }
  if (allPassed && !values['keep-logs']) await rm(root, { recursive: true, force: true });
  else console.log(`logs kept in ${root}`);
  return allPassed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
