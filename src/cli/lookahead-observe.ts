// What a replay did, as the look-ahead check compares it: every notification, trade, risk rejection, analyst vote and
// breaker event, each with the instant it happened and a canonical text of everything it carries.
import type { TradingEvent } from '../domain/events.js';
import type { Store } from '../ports/store.js';

export type ObservationKind = 'event' | 'trade' | 'rejection' | 'vote' | 'breaker';

export interface Observation {
  readonly kind: ObservationKind;
  /** Epoch ms of the moment it happened (a trade: its close). */
  readonly time: number;
  readonly text: string;
}

/** Start and stop announcements frame a run; they are not decisions and say when the run ended. */
const FRAMING: ReadonlySet<TradingEvent['type']> = new Set(['started', 'stopped']);

export async function observe(events: readonly TradingEvent[], store: Store): Promise<Observation[]> {
  const [trades, rejections, votes, breakers] = await Promise.all([
    store.trades.list(),
    store.rejections.list(),
    store.decisions.list({}),
    store.breakers.list(),
  ]);
  const of = (kind: ObservationKind, time: Date, value: unknown): Observation => ({ kind, time: time.getTime(), text: JSON.stringify(value) });
  return [
    ...events.filter((event) => !FRAMING.has(event.type)).map((event) => of('event', event.at, event)),
    ...trades.map((trade) => of('trade', trade.closedAt, trade)),
    ...rejections.map((rejection) => of('rejection', rejection.time, rejection)),
    ...votes.map((vote) => of('vote', vote.time, vote)),
    ...breakers.map((breaker) => of('breaker', breaker.time, breaker)),
  ];
}

export interface Difference {
  readonly kind: ObservationKind;
  /** The first observation of this kind that differs, as each run has it (absent: the run has none there). */
  readonly asRecorded?: Observation;
  readonly altered?: Observation;
  /** How many observations of this kind before the cut differ in all. */
  readonly count: number;
}

/** Compares what both runs did strictly before `cut`, kind by kind and in order. */
export function differencesBefore(recorded: readonly Observation[], altered: readonly Observation[], cut: number): { compared: number; differences: Difference[] } {
  const kinds: readonly ObservationKind[] = ['event', 'trade', 'rejection', 'vote', 'breaker'];
  const differences: Difference[] = [];
  let compared = 0;
  for (const kind of kinds) {
    const left = recorded.filter((item) => item.kind === kind && item.time < cut);
    const right = altered.filter((item) => item.kind === kind && item.time < cut);
    compared += left.length;
    let count = 0;
    let first: Difference | undefined;
    for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
      if (left[index]?.text === right[index]?.text) continue;
      count += 1;
      first ??= { kind, count: 0, ...(left[index] ? { asRecorded: left[index] } : {}), ...(right[index] ? { altered: right[index] } : {}) };
    }
    if (first) differences.push({ ...first, count });
  }
  return { compared, differences };
}
