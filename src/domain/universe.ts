// Which markets the daemon scans when it picks them itself (UNIVERSE=top_volume): the venue's linear perpetuals,
// without the thin, the newly listed and those whose funding is extreme, the busiest first. Every market gets a
// verdict in words, so the owner can see why one is in or out.
import { FUNDING_REFERENCE_HOURS, fundingPer8Hours } from './market.js';

/** One of the venue's perpetuals, as the daily selection sees it. */
export interface MarketListing {
  readonly symbol: string;
  /** Traded value over the last 24 hours, in the settlement currency. */
  readonly quoteVolume24h: number;
  /** When the market was listed, where the venue says. */
  readonly listedAt?: Date;
  /** The current funding rate per interval (0.0001 = 0.01%), where known. */
  readonly fundingRate?: number;
  /** Hours between the market's settlements, where known; unknown is taken for 8. */
  readonly fundingIntervalHours?: number;
}

export interface UniverseRules {
  /** How many markets to keep (UNIVERSE_SIZE). */
  readonly size: number;
  readonly minQuoteVolume: number;
  readonly minListingAgeDays: number;
  /**
   * Funding beyond ± this per 8 hours is a crowded trade whose carry eats the target. Per 8 hours, not per interval:
   * 0.05% every hour costs 0.4% where 0.05% every 8 h costs 0.05%.
   */
  readonly maxAbsFundingRate: number;
  /** Unified symbols never to trade (SYMBOLS_EXCLUDE). */
  readonly exclude: readonly string[];
  /** The account's settlement asset (USDT, USDC): markets settling in another are left out. */
  readonly settle?: string;
}

export interface UniverseVerdict {
  readonly symbol: string;
  readonly included: boolean;
  /** Rank by 24h volume among the markets that passed the filters (1 = busiest). */
  readonly rank?: number;
  readonly quoteVolume24h: number;
  readonly reason: string;
}

export interface UniverseSelection {
  readonly symbols: readonly string[];
  /** Every listing's verdict: the chosen first, by rank, then the others by volume. */
  readonly verdicts: readonly UniverseVerdict[];
  /** A rule the pick could not apply, in words (a venue that dates none of its listings has no age to check). */
  readonly note?: string;
}

const DAY_MS = 86_400_000;

const millions = (value: number): string => `$${(value / 1e6).toFixed(value >= 1e8 ? 0 : 1)}M`;
const percent = (rate: number): string => `${(rate * 100).toFixed(3)}%`;

function fundingReason(rate: number, intervalHours: number | undefined, limit: number): string | undefined {
  const per8Hours = fundingPer8Hours(rate, intervalHours);
  if (!(Math.abs(per8Hours) > limit)) return undefined;
  const settled = intervalHours === undefined || intervalHours === FUNDING_REFERENCE_HOURS ? '' : ` (${percent(rate)} every ${intervalHours} h)`;
  return `funding ${percent(per8Hours)} per 8 h${settled} is beyond ±${percent(limit)} per 8 h`;
}

/** Why a listing cannot be in the universe at `now`, or undefined when it may. `datesKnown`: the venue dates its listings. */
function filterReason(listing: MarketListing, rules: UniverseRules, now: Date, datesKnown: boolean): string | undefined {
  if (rules.exclude.includes(listing.symbol)) return 'excluded by SYMBOLS_EXCLUDE';
  const settle = listing.symbol.split(':')[1];
  if (rules.settle !== undefined && settle !== rules.settle) return `settles in ${settle ?? 'an unknown asset'}, and the account trades in ${rules.settle}`;
  if (!(listing.quoteVolume24h >= rules.minQuoteVolume)) {
    return `24h volume ${millions(listing.quoteVolume24h)} is below the ${millions(rules.minQuoteVolume)} minimum`;
  }
  if (rules.minListingAgeDays > 0 && datesKnown) {
    if (listing.listedAt === undefined) return 'listing date unknown, so its age cannot be checked';
    const ageDays = (now.getTime() - listing.listedAt.getTime()) / DAY_MS;
    if (ageDays < rules.minListingAgeDays) return `listed ${Math.floor(ageDays)} days ago, under the ${rules.minListingAgeDays}-day minimum`;
  }
  if (listing.fundingRate !== undefined) return fundingReason(listing.fundingRate, listing.fundingIntervalHours, rules.maxAbsFundingRate);
  return undefined;
}

export function selectUniverse(listings: readonly MarketListing[], rules: UniverseRules, now: Date): UniverseSelection {
  // Busiest first; equal volumes by name, so the selection never depends on the order the venue listed them in.
  const byVolume = [...listings].sort((a, b) => b.quoteVolume24h - a.quoteVolume24h || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  const chosen: UniverseVerdict[] = [];
  const others: UniverseVerdict[] = [];
  let rank = 0;
  // A venue that dates none of its markets (Hyperliquid) would leave every one out on its unknown age: the rule cannot
  // be applied there, and the pick says so rather than choose nothing. One undated market among dated ones stays out.
  const datesKnown = listings.some((listing) => listing.listedAt !== undefined);
  for (const listing of byVolume) {
    const reason = filterReason(listing, rules, now, datesKnown);
    const { symbol, quoteVolume24h } = listing;
    if (reason !== undefined) {
      others.push({ symbol, included: false, quoteVolume24h, reason });
      continue;
    }
    rank += 1;
    if (rank <= rules.size) chosen.push({ symbol, included: true, rank, quoteVolume24h, reason: `rank ${rank} by 24h volume (${millions(quoteVolume24h)})` });
    else others.push({ symbol, included: false, rank, quoteVolume24h, reason: `rank ${rank} by 24h volume, beyond the top ${rules.size}` });
  }
  const note =
    rules.minListingAgeDays > 0 && !datesKnown && listings.length > 0
      ? `the venue dates none of its markets, so the ${rules.minListingAgeDays}-day minimum age (UNIVERSE_MIN_LISTING_DAYS) is not applied`
      : undefined;
  return { symbols: chosen.map((verdict) => verdict.symbol), verdicts: [...chosen, ...others], ...(note === undefined ? {} : { note }) };
}
