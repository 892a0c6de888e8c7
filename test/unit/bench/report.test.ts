// A full `npm run bench` rewrites BENCHMARKS.md from its own measurements; the sections kept by hand (replay tables of
// features, the walk-forward) and their summary rows must survive it, in their place by number.
import { describe, expect, it } from 'vitest';
import { handKept } from '../../../bench/report.js';

const PREVIOUS = [
  '# Benchmarks',
  '',
  '## Summary',
  '',
  '| benchmark | target | measured | result |',
  '| --- | --- | --- | --- |',
  '| 1. Scan cycle | scan < 10 s | 2.1 s | PASS |',
  '| 11. Walk-forward | deflated Sharpe | 0.12 | reported |',
  '',
  '## 1. Scan cycle',
  '',
  'old scan figures',
  '',
  '## 9. Exit features on the bundled replay',
  '',
  '| feature | trades |',
  '| --- | --- |',
  '| ladder on | 12 |',
  '',
  '## 11. Walk-forward on the bundled history',
  '',
  'four folds',
  '',
].join('\n');

describe('the hand-kept parts of BENCHMARKS.md', () => {
  it('when a run writes section 1, then sections 9 and 11 and the summary row of 11 are kept, and the old section 1 is not', () => {
    const kept = handKept(PREVIOUS, new Set([1]));

    expect([...kept.sections.keys()]).toEqual([9, 11]);
    expect(kept.sections.get(9)).toBe(['## 9. Exit features on the bundled replay', '', '| feature | trades |', '| --- | --- |', '| ladder on | 12 |'].join('\n'));
    expect(kept.sections.get(11)).toBe('## 11. Walk-forward on the bundled history\n\nfour folds');
    expect(kept.summaryRows).toEqual(['| 11. Walk-forward | deflated Sharpe | 0.12 | reported |']);
  });

  it('when there is no earlier file, then nothing is kept', () => {
    const kept = handKept('', new Set([1, 2]));

    expect(kept.sections.size).toBe(0);
    expect(kept.summaryRows).toEqual([]);
  });
});
