// Figures the pages show that the engine has no use for: where price sits between liquidation and target, and
// the stored answers grouped back into the scans that asked them.
import { meetsConfidenceBar } from '../../../domain/consensus.js';
import type { Side } from '../../../domain/market.js';
import type { Position } from '../../../domain/trading.js';
import type { DecisionRecord } from '../../../ports/store.js';

export interface Level {
  readonly price: number;
  readonly distancePct: number;
  readonly pnlUsd: number;
}

export interface Meter {
  readonly price: number;
  readonly entry: Level;
  readonly stop: Level;
  readonly target?: Level;
  readonly liquidation: Level;
  readonly position: number;
}

/**
 * A level's distance is from the price it triggers on; its P&L is the position's at that price, from its entry: a
 * trailed stop above a long's entry locks a gain.
 */
function level(position: Position, from: number, at: number): Level {
  const direction = position.side === 'long' ? 1 : -1;
  return { price: at, distancePct: (at - from) / from, pnlUsd: direction * (at - position.entryPrice) * position.quantity };
}

/**
 * Price on an axis from liquidation (0) to the target (1); without a target, the entry's mirror of liquidation. The
 * stop and liquidation trigger on the mark, so their distances and the place on the axis are the mark's; the price
 * shown, the entry and the target stay on the last price, as the P&L does.
 */
export function liquidationMeter(position: Position, price: number, markPrice: number = price): Meter {
  const far = position.takeProfitPrice ?? position.entryPrice + (position.entryPrice - position.liquidationPrice);
  const span = far - position.liquidationPrice;
  const where = span === 0 ? 0.5 : (markPrice - position.liquidationPrice) / span;
  return {
    price,
    entry: level(position, price, position.entryPrice),
    stop: level(position, markPrice, position.stopPrice),
    ...(position.takeProfitPrice === undefined ? {} : { target: level(position, price, position.takeProfitPrice) }),
    liquidation: level(position, markPrice, position.liquidationPrice),
    position: Math.min(1, Math.max(0, where)),
  };
}

export interface ScanMarket {
  readonly symbol: string;
  readonly votes: readonly DecisionRecord[];
  readonly leaning: Side | 'none';
  readonly agreeing: number;
  readonly meanConfidence: number;
}

export interface ScanGroup {
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly purpose: 'entry' | 'exit';
  readonly markets: readonly ScanMarket[];
  readonly costUsd: number;
}

/** A market's answers as the consensus weighs them: a trade vote below `minConfidence` joins no side. */
function market(symbol: string, votes: readonly DecisionRecord[], minConfidence: number): ScanMarket {
  const directional = votes.filter(
    (vote) => vote.outcome === 'valid' && (vote.action === 'long' || vote.action === 'short') && meetsConfidenceBar(vote.confidence, minConfidence),
  );
  const longs = directional.filter((vote) => vote.action === 'long');
  const shorts = directional.filter((vote) => vote.action === 'short');
  const winners = longs.length === shorts.length ? [] : longs.length > shorts.length ? longs : shorts;
  const leaning: Side | 'none' = winners.length === 0 ? 'none' : longs.length > shorts.length ? 'long' : 'short';
  const meanConfidence = winners.length === 0 ? 0 : winners.reduce((sum, vote) => sum + vote.confidence, 0) / winners.length;
  return { symbol, votes, leaning, agreeing: winners.length, meanConfidence };
}

/** Ranks markets as the consensus would look at them: most agreeing voices first, then their confidence. */
export function rankMarkets(markets: readonly ScanMarket[]): ScanMarket[] {
  return [...markets].sort((a, b) => b.agreeing - a.agreeing || b.meanConfidence - a.meanConfidence || a.symbol.localeCompare(b.symbol));
}

/**
 * Splits answers (newest first) into scans: answers of one purpose no more than `gapMs` apart belong to one scan.
 * Returns newest scan first.
 */
export function groupScans(records: readonly DecisionRecord[], gapMs: number, minConfidence: number): ScanGroup[] {
  const groups: DecisionRecord[][] = [];
  for (const record of records) {
    const current = groups[groups.length - 1];
    const last = current?.[current.length - 1];
    if (current && last && last.purpose === record.purpose && last.time.getTime() - record.time.getTime() <= gapMs) current.push(record);
    else groups.push([record]);
  }
  return groups.map((group) => {
    const bySymbol = new Map<string, DecisionRecord[]>();
    for (const record of [...group].reverse()) bySymbol.set(record.symbol, [...(bySymbol.get(record.symbol) ?? []), record]);
    return {
      startedAt: (group[group.length - 1] as DecisionRecord).time,
      endedAt: (group[0] as DecisionRecord).time,
      purpose: (group[0] as DecisionRecord).purpose,
      markets: rankMarkets([...bySymbol].map(([symbol, votes]) => market(symbol, votes, minConfidence))),
      costUsd: group.reduce((sum, record) => sum + record.usage.costUsd, 0),
    };
  });
}
