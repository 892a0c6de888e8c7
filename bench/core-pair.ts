// What this machine gives two busy processes, measured without the project's code: a fixed piece of work run alone
// and then as two copies at once, both timed inside their processes. On two vCPUs that share a physical core, its
// caches or its memory bandwidth, two copies take longer each than one alone, and no program scales past that.
import { runChild } from './child-process.js';

export type CorePairKind = 'alu' | 'alloc';

export interface CorePairScaling {
  readonly kind: CorePairKind;
  /** Alone, and the slower of two at once, for the median round, ms. */
  readonly aloneMs: number;
  readonly pairedMs: number;
  /** Work done per unit of time by two copies against one: 2 × alone / paired. The median of the rounds. */
  readonly speedUp: number;
  readonly rounds: readonly number[];
}

const once = async (kind: CorePairKind): Promise<number> => (await runChild<{ ms: number }>('core-pair-child.ts', ['--kind', kind])).ms;

export async function measureCorePair(kind: CorePairKind, rounds: number): Promise<CorePairScaling> {
  const runs: { aloneMs: number; pairedMs: number; speedUp: number }[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const aloneMs = await once(kind);
    const pairedMs = Math.max(...(await Promise.all([once(kind), once(kind)])));
    runs.push({ aloneMs, pairedMs, speedUp: (2 * aloneMs) / pairedMs });
  }
  const sorted = [...runs].sort((a, b) => a.speedUp - b.speedUp);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!middle) throw new Error('core pair: no round was measured');
  return { kind, aloneMs: middle.aloneMs, pairedMs: middle.pairedMs, speedUp: middle.speedUp, rounds: runs.map((run) => run.speedUp) };
}
