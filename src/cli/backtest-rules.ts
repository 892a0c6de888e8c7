// The rules a replay ran by, stated at the head of every backtest report: what the daemon could see at each instant,
// what the simulated venue matched orders against and when, how it filled them, and which markets had mark-price
// data (where none, the last price stands in, and the report says so).
import type { DataCoverage } from '../adapters/market-data/replay/index.js';

export interface ReplayRules {
  readonly priceSeen: string;
  readonly markPrice: string;
  readonly triggers: string;
  readonly fills: string;
  readonly funding: string;
  readonly margin: string;
  /** One line per market: its mark-price and 1-minute data over the replayed window. */
  readonly data: readonly string[];
}

const percent = (fraction: number, digits = 0): string => `${(fraction * 100).toFixed(digits)}%`;

function interval(ms: number): string {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${ms / 60_000}m`;
}

function dataLine(coverage: DataCoverage): string {
  const base = coverage.symbol.split('/')[0] ?? coverage.symbol;
  const mark =
    coverage.markIntervalMs === undefined || coverage.markShare === 0
      ? 'no mark-price candles: the last price stands in for the mark'
      : `${interval(coverage.markIntervalMs)} mark-price candles over ${percent(coverage.markShare)} of the window${coverage.markShare < 0.9995 ? ' (the last price stands in elsewhere)' : ''}`;
  const minutes = coverage.minuteShare > 0 ? `1m candles over ${percent(coverage.minuteShare)}` : 'no 1m candles';
  return `${base}: ${mark}; ${minutes}`;
}

export function replayRules(coverage: readonly DataCoverage[], costs: { readonly takerFeeRate: number; readonly slippageBps: number }): ReplayRules {
  const slip = `${costs.slippageBps} bps`;
  return {
    priceSeen:
      'candles once closed; inside a forming 15m candle its open (with 1m data, the open of the current minute), never a price the candle had not printed yet',
    markPrice:
      'a mark candle\'s open at its open; inside it the traded price plus the basis at that open; the last price where no mark candle covers the instant',
    triggers:
      'stops and liquidation on the mark: a level the mark opens beyond at a bar\'s open, one inside its range at the bar\'s close (1m bars with 1m data, else 15m); a bar closing with its mark candle is held inside that candle\'s range, which is matched again at its close; a bar reaching a stop and an exit in the trader\'s favour fills the stop',
    fills: `market: price ± ${slip}; stop: trigger ∓ ${slip} (the nearest traded price when only the mark reached it), or the bar's open ∓ ${slip} on a gap; taker fee ${percent(costs.takerFeeRate, 3)} a side`,
    funding: 'every settlement at the mark price of its instant',
    margin: 'isolated: a position loses at most its margin; liquidation at its price, the rest of the margin going as the clearance fee; a fill that would lose more is a liquidation',
    data: coverage.map(dataLine),
  };
}

const WIDTH = 118;
const LABEL = 18;

/** `label` and `text` as lines of at most WIDTH characters, the text wrapped under itself. */
function labelled(label: string, text: string): string[] {
  const lines: string[] = [];
  let line = `  ${label}`.padEnd(LABEL);
  for (const word of text.split(' ')) {
    if (line.trim().length > 0 && line.length + word.length + 1 > WIDTH && line.length > LABEL) {
      lines.push(line.trimEnd());
      line = ' '.repeat(LABEL);
    }
    line += line.length > LABEL ? ` ${word}` : word;
  }
  lines.push(line.trimEnd());
  return lines;
}

/** The rules as labelled entries, in reading order: the console and the HTML report both show these. */
export function ruleEntries(rules: ReplayRules): [label: string, text: string][] {
  return [
    ['price seen', rules.priceSeen],
    ['mark price', rules.markPrice],
    ['triggers', rules.triggers],
    ['fills', rules.fills],
    ['funding', rules.funding],
    ['margin', rules.margin],
    ...rules.data.map((line, index): [string, string] => [index === 0 ? 'data' : '', line]),
  ];
}

export const RULES_HEADING = 'Replay rules: what the daemon and the simulated venue could know, and when';

export function formatRules(rules: ReplayRules): string[] {
  return [RULES_HEADING, ...ruleEntries(rules).flatMap(([label, text]) => labelled(label, text))];
}
