// A fixed amount of work with no I/O, timed inside the process: the sweep bench runs one copy alone and then two at
// once, to see what this machine gives two busy processes before any of the project's code is involved.
//   node --import tsx bench/core-pair-child.ts --kind alu|alloc --out <file>
import { writeFile } from 'node:fs/promises';
import { argument } from './child-process.js';

/** Integer arithmetic in registers: no memory traffic, so only the cores themselves are shared. */
function arithmetic(): number {
  let x = 0;
  for (let i = 0; i < 600_000_000; i += 1) x = (x + i * 7) | 0;
  return x;
}

/**
 * Small short-lived objects, most dying young and some kept a while, as a replay's candles, promises and closures
 * do: the young generation, the collector and the caches are exercised, not only the cores.
 */
function allocation(): number {
  let kept: { readonly at: number; readonly values: number[] }[] = [];
  let total = 0;
  for (let i = 0; i < 5_000_000; i += 1) {
    kept.push({ at: i, values: [i, i + 1] });
    if (kept.length > 200_000) {
      total += kept.length;
      kept = [];
    }
  }
  return total + kept.length;
}

const kind = argument('kind');
const out = argument('out');
if ((kind !== 'alu' && kind !== 'alloc') || !out) throw new Error('--kind alu|alloc and --out are required');
const started = performance.now();
const checksum = kind === 'alu' ? arithmetic() : allocation();
await writeFile(out, JSON.stringify({ ms: performance.now() - started, checksum }));
