// A replay's candles, held compactly: six numbers per candle in one Float64Array instead of one object per candle.
// A year of 15m candles with its 1h, 4h and mark candles is about 60,000 candles per market; as objects (each
// number boxed on the heap) they cost about 170 bytes apiece, here 48. A Candle object is made only when one is
// read (`at`, `slice`, iteration), so the engine still sees plain candles; a replay reads only its windows.
import type { Candle } from '../../../domain/market.js';

const FIELDS = 6;
const OPEN_TIME = 0;
const OPEN = 1;
const HIGH = 2;
const LOW = 3;
const CLOSE = 4;
const VOLUME = 5;

export class CandleSeries implements Iterable<Candle> {
  static readonly empty = new CandleSeries(new Float64Array(0));

  /** The candles in the order given (oldest first, as every series of a replay is). */
  static from(candles: Iterable<Candle> | CandleSeries): CandleSeries {
    if (candles instanceof CandleSeries) return candles;
    const list = Array.isArray(candles) ? (candles as readonly Candle[]) : [...candles];
    const builder = new CandleSeriesBuilder(list.length);
    for (const candle of list) builder.push(candle.openTime, candle.open, candle.high, candle.low, candle.close, candle.volume);
    return builder.build();
  }

  readonly length: number;

  /** `values` holds each candle's open time, open, high, low, close and volume in turn. */
  constructor(private readonly values: Float64Array) {
    if (values.length % FIELDS !== 0) throw new RangeError(`a candle series holds ${FIELDS} numbers per candle, got ${values.length}`);
    this.length = values.length / FIELDS;
  }

  openTime(index: number): number {
    return this.values[index * FIELDS + OPEN_TIME] as number;
  }

  open(index: number): number {
    return this.values[index * FIELDS + OPEN] as number;
  }

  high(index: number): number {
    return this.values[index * FIELDS + HIGH] as number;
  }

  low(index: number): number {
    return this.values[index * FIELDS + LOW] as number;
  }

  close(index: number): number {
    return this.values[index * FIELDS + CLOSE] as number;
  }

  volume(index: number): number {
    return this.values[index * FIELDS + VOLUME] as number;
  }

  /** The candle at `index` as a new object (a negative index counts from the end, as Array.prototype.at does). */
  at(index: number): Candle | undefined {
    const position = index < 0 ? this.length + index : index;
    if (!Number.isInteger(position) || position < 0 || position >= this.length) return undefined;
    const base = position * FIELDS;
    const values = this.values;
    return {
      openTime: values[base + OPEN_TIME] as number,
      open: values[base + OPEN] as number,
      high: values[base + HIGH] as number,
      low: values[base + LOW] as number,
      close: values[base + CLOSE] as number,
      volume: values[base + VOLUME] as number,
    };
  }

  /** Candles [start, end) as objects, with Array.prototype.slice's treatment of negative and missing bounds. */
  slice(start = 0, end = this.length): Candle[] {
    const [from, to] = bounds(start, end, this.length);
    const result = new Array<Candle>(Math.max(0, to - from));
    for (let index = from; index < to; index += 1) result[index - from] = this.at(index) as Candle;
    return result;
  }

  /** Candles [start, end) as a series sharing this one's memory. */
  subseries(start: number, end: number = this.length): CandleSeries {
    const [from, to] = bounds(start, end, this.length);
    return new CandleSeries(this.values.subarray(from * FIELDS, Math.max(from, to) * FIELDS));
  }

  /** A series of its own (new memory) with the same candles. */
  copy(): CandleSeries {
    return new CandleSeries(this.values.slice());
  }

  /** Index of the first candle opening after `time` (the number of candles open at or before it). */
  upperBound(time: number): number {
    const values = this.values;
    let low = 0;
    let high = this.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((values[middle * FIELDS + OPEN_TIME] as number) <= time) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  map<T>(transform: (candle: Candle, index: number) => T): T[] {
    const result = new Array<T>(this.length);
    for (let index = 0; index < this.length; index += 1) result[index] = transform(this.at(index) as Candle, index);
    return result;
  }

  find(predicate: (candle: Candle, index: number) => boolean): Candle | undefined {
    for (let index = 0; index < this.length; index += 1) {
      const candle = this.at(index) as Candle;
      if (predicate(candle, index)) return candle;
    }
    return undefined;
  }

  *[Symbol.iterator](): Iterator<Candle> {
    for (let index = 0; index < this.length; index += 1) yield this.at(index) as Candle;
  }
}

/** Fills a series of at most `capacity` candles, one at a time, without an object per candle. */
export class CandleSeriesBuilder {
  private readonly values: Float64Array;
  private count = 0;

  constructor(capacity: number) {
    this.values = new Float64Array(capacity * FIELDS);
  }

  get length(): number {
    return this.count;
  }

  push(openTime: number, open: number, high: number, low: number, close: number, volume: number): void {
    const base = this.count * FIELDS;
    if (base >= this.values.length) throw new RangeError('the candle series is full');
    const values = this.values;
    values[base + OPEN_TIME] = openTime;
    values[base + OPEN] = open;
    values[base + HIGH] = high;
    values[base + LOW] = low;
    values[base + CLOSE] = close;
    values[base + VOLUME] = volume;
    this.count += 1;
  }

  /** The candles pushed so far; the memory is trimmed to them when the capacity was not used up. */
  build(): CandleSeries {
    const used = this.count * FIELDS;
    return new CandleSeries(used === this.values.length ? this.values : this.values.slice(0, used));
  }
}

function bounds(start: number, end: number, length: number): [number, number] {
  const clamp = (value: number): number => {
    const whole = Math.trunc(value) || 0;
    return whole < 0 ? Math.max(0, length + whole) : Math.min(whole, length);
  };
  return [clamp(start), clamp(end)];
}
