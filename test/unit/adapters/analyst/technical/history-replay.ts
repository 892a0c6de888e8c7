// Steps through the bundled history one closed 15m candle at a time and builds the snapshot the engine would have
// built then: the last 250 closed candles of each timeframe, 1h and 4h aggregated from the 15m file.
import type { TechnicalAnalyst } from '../../../../../src/adapters/analyst/technical/index.js';
import type { MarketSnapshot, Vote } from '../../../../../src/domain/analysis.js';
import type { Candle, Side } from '../../../../../src/domain/market.js';
import { reachConsensus } from '../../../../../src/domain/consensus.js';
import { DEFAULT_CONSENSUS, DEFAULT_RISK } from '../../../../../src/domain/settings.js';
import { buildSnapshot } from '../../../../../src/domain/snapshot.js';
import { aggregateCandles, loadRealCandles } from '../../../domain/indicators/real-candles.js';

export const WINDOW = 250;
const QUARTER_MS = 15 * 60_000;

export interface ReplayOptions {
  /** Skip steps until the 4h view has this many closed candles (200 makes EMA200 on 4h known). */
  readonly minFourHourCandles?: number;
}

/** Lazily yields one snapshot per closed 15m candle of `symbol` (an exchange id such as `BTCUSDT`). */
export function* replaySnapshots(symbol: string, options: ReplayOptions = {}): Generator<MarketSnapshot> {
  const minFourHour = options.minFourHourCandles ?? 200;
  const quarter = loadRealCandles(symbol);
  const hour = aggregateCandles(quarter, 60);
  const fourHour = aggregateCandles(quarter, 240);
  let hoursClosed = 0;
  let fourHoursClosed = 0;
  for (let i = 0; i < quarter.length; i += 1) {
    const now = quarter[i]!.openTime + QUARTER_MS;
    while (hoursClosed < hour.length && hour[hoursClosed]!.openTime + 60 * 60_000 <= now) hoursClosed += 1;
    while (fourHoursClosed < fourHour.length && fourHour[fourHoursClosed]!.openTime + 240 * 60_000 <= now) {
      fourHoursClosed += 1;
    }
    if (fourHoursClosed < minFourHour || hoursClosed === 0) continue;
    const last = quarter[i]!;
    yield buildSnapshot({
      symbol: `${symbol.replace('USDT', '')}/USDT:USDT`,
      time: new Date(now),
      candles: {
        '15m': tail(quarter, i + 1),
        '1h': tail(hour, hoursClosed),
        '4h': tail(fourHour, fourHoursClosed),
      },
      price: last.close,
      markPrice: last.close,
      quoteVolume24h: quoteVolume(quarter, i + 1),
      fundingRate: 0.0001,
    });
  }
}

function tail(candles: readonly Candle[], end: number): Candle[] {
  return candles.slice(Math.max(0, end - WINDOW), end);
}

function quoteVolume(candles: readonly Candle[], end: number): number {
  let sum = 0;
  for (let i = Math.max(0, end - 96); i < end; i += 1) sum += candles[i]!.close * candles[i]!.volume;
  return sum;
}

export interface HistorySurvey {
  readonly steps: number;
  /** Per analyst: how many steps it voted long, short or hold. */
  readonly actions: Record<string, Record<Vote['action'], number>>;
  /** Per analyst: trade votes at confidence >= 0.75. */
  readonly confident: Record<string, number>;
  /** Steps where the daemon's consensus (at its shipped settings) would have gone long or short. */
  readonly agreementSteps: number;
  /** Runs of consecutive agreeing steps (same symbol and side) counted once: the trades a consensus could open. */
  readonly agreements: readonly { symbol: string; time: Date; side: Side; analysts: string[]; meanConfidence: number }[];
  /** Every vote that proposed a trade, for invariant checks. */
  readonly tradeVotes: readonly Vote[];
}

/** Runs `analysts` over every replay step of `symbols` and tallies what they said. */
export function surveyHistory(analysts: readonly TechnicalAnalyst[], symbols: readonly string[]): HistorySurvey {
  const actions: Record<string, Record<Vote['action'], number>> = {};
  const confident: Record<string, number> = {};
  const agreements: HistorySurvey['agreements'][number][] = [];
  const tradeVotes: Vote[] = [];
  let steps = 0;
  let agreementSteps = 0;
  for (const symbol of symbols) {
    let previous: Side | undefined;
    for (const snapshot of replaySnapshots(symbol)) {
      steps += 1;
      const votes = analysts.map((analyst) => analyst.vote(snapshot));
      for (const vote of votes) {
        const tally = (actions[vote.analyst] ??= { long: 0, short: 0, hold: 0 });
        tally[vote.action] += 1;
        if (vote.action === 'hold') continue;
        tradeVotes.push(vote);
        if (vote.confidence >= 0.75) confident[vote.analyst] = (confident[vote.analyst] ?? 0) + 1;
      }
      // The daemon's own rule: two or more on a side, each at the minimum confidence or above.
      const consensus = reachConsensus(votes, DEFAULT_CONSENSUS, DEFAULT_RISK.maxLeverage);
      const agreed = consensus.decision === 'hold' ? undefined : consensus.decision;
      if (agreed) {
        agreementSteps += 1;
        if (previous !== agreed) {
          agreements.push({ symbol, time: snapshot.time, side: agreed, analysts: consensus.agreeing.map((v) => v.analyst), meanConfidence: consensus.confidence });
        }
      }
      previous = agreed;
    }
  }
  return { steps, actions, confident, agreementSteps, agreements, tradeVotes };
}
