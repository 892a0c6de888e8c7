import { describe, expect, it } from 'vitest';
import { parseFundingCsv } from '../../../../../src/adapters/market-data/replay/funding-csv.js';

const FILE = 'fundingRate/TESTUSDT-fundingRate.csv';
const H8 = 8 * 3_600_000;
const T0 = Date.UTC(2025, 7, 10);

describe('parseFundingCsv', () => {
  it('reads calc_time, interval and rate of every settlement', () => {
    const text = `calc_time,funding_interval_hours,last_funding_rate\n${T0},8,0.0001\n${T0 + H8},8,-0.00005\n`;

    expect(parseFundingCsv(text, FILE)).toEqual([
      { time: T0, intervalHours: 8, rate: 0.0001 },
      { time: T0 + H8, intervalHours: 8, rate: -0.00005 },
    ]);
  });

  it('when a rate is not a number, then loading fails naming the file and the line', () => {
    const text = `calc_time,funding_interval_hours,last_funding_rate\n${T0},8,0.0001\n${T0 + H8},8,NaN\n`;

    expect(() => parseFundingCsv(text, FILE)).toThrow(`${FILE}, line 3: last_funding_rate is not a finite number ("NaN")`);
  });

  it('when settlement times go backwards, then loading fails', () => {
    const text = `${T0 + H8},8,0.0001\n${T0},8,0.0001`;

    expect(() => parseFundingCsv(text, FILE)).toThrow(/line 2: calc_time \d+ does not increase/);
  });

  it('when the interval is zero hours, then loading fails', () => {
    expect(() => parseFundingCsv(`${T0},0,0.0001`, FILE)).toThrow(/line 1: funding_interval_hours 0 must be positive/);
  });
});
