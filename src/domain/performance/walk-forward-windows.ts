// Walk-forward windows: a training window followed directly by a test window, rolled forward by the test length,
// so the test windows tile the history without overlap and each one is judged by a setting chosen before it began.
import { DAY_MS } from '../time.js';

export interface TimeWindow {
  readonly from: Date;
  readonly to: Date;
}

export interface WalkForwardFold {
  readonly index: number;
  readonly train: TimeWindow;
  readonly test: TimeWindow;
}

/**
 * Every fold whose test window ends by `to`; the first training window starts at `from`. The windows are whole days
 * from a UTC midnight: the objective and the stitched figures are daily returns, annualised over 365 days, and a
 * 12-hour window, or a day cut at noon, would count as a day.
 */
export function walkForwardFolds(from: Date, to: Date, trainMs: number, testMs: number): WalkForwardFold[] {
  if (!(trainMs > 0) || !(testMs > 0)) throw new Error('walk-forward: the training and test lengths must be positive');
  if (trainMs % DAY_MS !== 0 || testMs % DAY_MS !== 0) {
    throw new Error('walk-forward: the training and test lengths must be whole days (e.g. 90d, 30d, 48h): the figures are daily returns');
  }
  if (from.getTime() % DAY_MS !== 0) {
    throw new Error(`walk-forward: the windows must start at a UTC midnight, not ${from.toISOString()}: the figures are daily returns`);
  }
  const folds: WalkForwardFold[] = [];
  for (let start = from.getTime(); start + trainMs + testMs <= to.getTime(); start += testMs) {
    const split = start + trainMs;
    folds.push({
      index: folds.length,
      train: { from: new Date(start), to: new Date(split) },
      test: { from: new Date(split), to: new Date(split + testMs) },
    });
  }
  return folds;
}

/** `90d`, `12h` or `30` (days) as milliseconds; a clear error for anything else. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([dh]?)$/.exec(text.trim());
  if (!match) throw new Error(`${JSON.stringify(text)} is not a duration (use e.g. 90d or 12h)`);
  const amount = Number(match[1]);
  return match[2] === 'h' ? amount * 3_600_000 : amount * DAY_MS;
}

/** One setting of the grid: variable name to value, as the configuration reads them. */
export type GridSetting = Readonly<Record<string, string>>;

/**
 * `NAME=a,b;OTHER=c,d` as every combination (the cartesian product), in a stable order. Names and values are kept
 * as text: the configuration validates them like any other variable.
 */
export function parseGrid(text: string): GridSetting[] {
  const axes = text
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [name, values] = part.split('=');
      const list = (values ?? '').split(',').map((value) => value.trim()).filter(Boolean);
      if (!name || !/^[A-Z][A-Z0-9_]*$/.test(name.trim()) || list.length === 0) {
        throw new Error(`--grid: ${JSON.stringify(part)} is not NAME=value,value`);
      }
      return { name: name.trim(), values: list };
    });
  const names = new Set(axes.map((axis) => axis.name));
  if (names.size !== axes.length) throw new Error('--grid: a variable appears twice');
  let settings: Record<string, string>[] = [{}];
  for (const axis of axes) settings = settings.flatMap((setting) => axis.values.map((value) => ({ ...setting, [axis.name]: value })));
  return settings;
}

/** A short, stable name of a setting, e.g. `MAX_STOP_LOSS_PERCENT=0.08 MIN_OPPORTUNITY_SCORE=70`. */
export function settingLabel(setting: GridSetting): string {
  const names = Object.keys(setting).sort();
  return names.length === 0 ? 'defaults' : names.map((name) => `${name}=${setting[name]}`).join(' ');
}
