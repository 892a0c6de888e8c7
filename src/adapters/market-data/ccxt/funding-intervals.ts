// How many hours each market settles funding over. A rate means nothing without it: 0.01% every hour carries eight
// times what 0.01% every 8 h does. Bybit and Hyperliquid say it with every funding read; Binance's premium index does
// not, and only its funding-info table (GET /fapi/v1/fundingInfo) lists the markets whose interval differs from its
// usual 8 hours. That table is read once for all markets and kept for an hour: intervals change a few times a year,
// and the whole table weighs one request.
import { describeError } from '../../../domain/errors.js';
import { HOUR_MS, MINUTE_MS } from '../../../domain/time.js';
import type { Clock } from '../../../ports/clock.js';
import type { Logger } from '../../../ports/logger.js';

export const FUNDING_TABLE_MAX_AGE_MS = HOUR_MS;
/** After a failed read the venue is asked again this much later, not on every funding read of a scan. */
export const FUNDING_TABLE_RETRY_MS = 5 * MINUTE_MS;

/** A venue's table entry as ccxt parses it: `interval` such as `4h`. */
export interface IntervalEntry {
  readonly interval?: string | undefined;
}

/** Reads the venue's table of intervals by unified symbol; undefined where the venue has no such table. */
export type IntervalTableReader = () => Promise<Readonly<Record<string, IntervalEntry>> | undefined>;

const UNIT_HOURS: Readonly<Record<string, number>> = { m: 1 / 60, h: 1, d: 24 };

/** `4h`, `30m` or `1d` as hours; undefined for anything else (ccxt writes Bybit's 30 minutes as `0h`). */
export function intervalHoursOf(interval: unknown): number | undefined {
  if (typeof interval !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)([mhd])$/.exec(interval.trim());
  if (!match) return undefined;
  const hours = Number(match[1]) * (UNIT_HOURS[match[2] as string] as number);
  return hours > 0 && Number.isFinite(hours) ? hours : undefined;
}

/** An instrument's interval in minutes, as Bybit's instruments-info gives it (`fundingInterval: 240`), as hours. */
export function minutesAsHours(minutes: unknown): number | undefined {
  const value = typeof minutes === 'string' && minutes.trim() !== '' ? Number(minutes) : minutes;
  return typeof value === 'number' && value > 0 && Number.isFinite(value) ? value / 60 : undefined;
}

export class FundingIntervals {
  private hours?: ReadonlyMap<string, number>;
  private nextReadAt = 0;
  private reading?: Promise<void>;
  private failing = false;

  constructor(
    private readonly readTable: IntervalTableReader,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** The venue's usual interval: what a market is taken to settle over when nothing says otherwise. */
    private readonly defaultHours: number,
  ) {}

  /**
   * The interval of `symbol`: the first of `known` that is (what the funding read or the instrument said), else the
   * venue's table, else the venue's usual interval. A table that cannot be read never fails the caller.
   */
  async hoursOf(symbol: string, ...known: (number | undefined)[]): Promise<number> {
    const said = known.find((hours) => hours !== undefined);
    if (said !== undefined) return said;
    return (await this.table())?.get(symbol) ?? this.defaultHours;
  }

  /** The venue's table, read again once an hour old; the last one (or none) while the venue cannot be read. */
  async table(): Promise<ReadonlyMap<string, number> | undefined> {
    if (this.clock.now().getTime() >= this.nextReadAt) await this.refresh();
    return this.hours;
  }

  /** One read at a time: a scan asks for every market's funding at once, and one table answers them all. */
  private refresh(): Promise<void> {
    if (this.reading === undefined) {
      const reading = this.read().finally(() => {
        if (this.reading === reading) this.reading = undefined;
      });
      this.reading = reading;
    }
    return this.reading;
  }

  private async read(): Promise<void> {
    try {
      const entries = await this.readTable();
      const now = this.clock.now().getTime();
      if (entries === undefined) {
        // A venue without a table says the interval in every funding read, or never does: nothing to ask again.
        this.nextReadAt = Number.POSITIVE_INFINITY;
        return;
      }
      const hours = new Map<string, number>();
      for (const [symbol, entry] of Object.entries(entries)) {
        const value = intervalHoursOf(entry.interval);
        if (value !== undefined) hours.set(symbol, value);
      }
      this.hours = hours;
      this.nextReadAt = now + FUNDING_TABLE_MAX_AGE_MS;
      if (this.failing) this.log.info({ markets: hours.size }, 'funding intervals read again');
      this.failing = false;
    } catch (error) {
      this.nextReadAt = this.clock.now().getTime() + FUNDING_TABLE_RETRY_MS;
      // Once per failing stretch, not on every funding read of every scan.
      if (!this.failing) {
        const fallback = this.hours === undefined ? `every market taken to settle every ${this.defaultHours} h` : 'the last table read stays in use';
        this.log.warn({ error: describeError(error) }, `funding intervals could not be read; ${fallback} until they can`);
      }
      this.failing = true;
    }
  }
}
