// The look-ahead check of `npm run lookahead`, on a week of the bundled history: the daemon's record before each cut
// is the same whether the data after the cut is as recorded, perturbed or gone. Plus the pieces it rests on.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { alteredAfter } from '../../src/cli/lookahead-alter.js';
import { checkLookahead, cutPoints } from '../../src/cli/lookahead-check.js';
import { differencesBefore, type Observation } from '../../src/cli/lookahead-observe.js';
import { RecordingLogger } from '../../src/testing/silent-logger.js';
import { bundledHistory } from '../support/engine-fixture.js';

const QUARTER = 15 * 60_000;
const BTC = 'BTC/USDT:USDT';

describe('the look-ahead check on the bundled history', () => {
  it('finds no difference before any cut, on quarter boundaries or inside candles, while positions are open', async () => {
    const report = await checkLookahead({
      history: await bundledHistory(),
      config: loadConfig({ env: {} }),
      logger: new RecordingLogger(),
      from: new Date('2025-09-28T00:00:00Z'),
      to: new Date('2025-10-06T00:00:00Z'),
      cuts: 4,
    });

    expect(report.trades).toBeGreaterThan(0);
    expect(report.cuts.filter((cut) => cut.insideCandle).length).toBeGreaterThanOrEqual(2);
    expect(report.cuts.filter((cut) => !cut.insideCandle).length).toBeGreaterThanOrEqual(1);
    expect(report.cuts.every((cut) => cut.compared > 0)).toBe(true);
    expect(report.cuts.flatMap((cut) => cut.differences)).toEqual([]);
  }, 120_000);
});

describe('what the check alters', () => {
  it('keeps every candle closed by the cut and the open of the one forming, and changes the rest', async () => {
    const history = await bundledHistory();
    const cut = Date.parse('2025-10-10T21:07:00Z');

    const altered = alteredAfter(history, cut, 'perturb', 7).markets.get(BTC);
    const recorded = history.markets.get(BTC);

    const quarter = (series: typeof recorded, time: string) => series?.candles['15m'].find((candle) => candle.openTime === Date.parse(time));
    expect(quarter(altered, '2025-10-10T20:45:00Z')).toEqual(quarter(recorded, '2025-10-10T20:45:00Z'));
    expect(quarter(altered, '2025-10-10T21:00:00Z')?.open).toBe(quarter(recorded, '2025-10-10T21:00:00Z')?.open);
    expect(quarter(altered, '2025-10-10T21:00:00Z')?.low).not.toBe(quarter(recorded, '2025-10-10T21:00:00Z')?.low);
    expect(quarter(altered, '2025-10-10T21:15:00Z')?.open).not.toBe(quarter(recorded, '2025-10-10T21:15:00Z')?.open);
    // The hourly mark candle of 21:00 opened before the cut: its open stays, its range is redrawn.
    const markHour = (series: typeof recorded) => series?.mark?.candles.find((candle) => candle.openTime === Date.parse('2025-10-10T21:00:00Z'));
    expect(markHour(altered)?.open).toBe(markHour(recorded)?.open);
    expect(markHour(altered)?.close).not.toBe(markHour(recorded)?.close);
    expect(alteredAfter(history, cut, 'remove', 7).markets.get(BTC)?.candles['15m'].at(-1)?.openTime).toBe(Date.parse('2025-10-10T21:00:00Z'));
  });

  it('keeps the funding settled at the cut, as a replay ending there charges it, and changes or removes the later ones', async () => {
    const history = await bundledHistory();
    const cut = Date.parse('2025-10-10T16:00:00Z');
    const recorded = history.markets.get(BTC)?.funding ?? [];
    const rowAt = (rows: typeof recorded, time: number) => rows.find((row) => row.time === time);
    const later = cut + 8 * 60 * 60_000;
    expect(rowAt(recorded, cut)).toBeDefined();

    const perturbed = alteredAfter(history, cut, 'perturb', 7).markets.get(BTC)?.funding ?? [];
    const removed = alteredAfter(history, cut, 'remove', 7).markets.get(BTC)?.funding ?? [];

    expect(rowAt(perturbed, cut)).toEqual(rowAt(recorded, cut));
    expect(rowAt(perturbed, later)?.rate).not.toBe(rowAt(recorded, later)?.rate);
    expect(removed.at(-1)).toEqual(rowAt(recorded, cut));
  });

  it('compares only what happened strictly before the cut, and names the first difference of each kind', () => {
    const at = (minute: number, text: string): Observation => ({ kind: 'event', time: Date.parse('2025-10-10T00:00:00Z') + minute * 60_000, text });
    const cut = Date.parse('2025-10-10T00:10:00Z');

    const same = differencesBefore([at(1, 'a'), at(10, 'b')], [at(1, 'a'), at(10, 'other')], cut);
    const changed = differencesBefore([at(1, 'a'), at(5, 'b')], [at(1, 'a'), at(5, 'c'), at(6, 'd')], cut);

    expect(same).toEqual({ compared: 1, differences: [] });
    expect(changed.differences).toEqual([{ kind: 'event', count: 2, asRecorded: at(5, 'b'), altered: at(5, 'c') }]);
  });

  it('places half the cuts inside the candles in which trades ended, and none on the window\'s edges', () => {
    const start = Date.parse('2025-10-01T00:00:00Z');
    const end = Date.parse('2025-10-09T00:00:00Z');
    const trades = [{ closedAt: new Date('2025-10-03T10:15:00Z') }, { closedAt: new Date('2025-10-06T17:42:00Z') }];

    const cuts = cutPoints(start, end, trades, 6);

    expect(cuts).toHaveLength(6);
    expect(cuts.filter((cut) => cut % QUARTER !== 0)).toHaveLength(3);
    expect(cuts).toContain(Date.parse('2025-10-03T10:15:00Z') - 400_000);
    expect(cuts.every((cut) => cut > start && cut < end)).toBe(true);
  });
});
