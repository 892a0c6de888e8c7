import { describe, expect, it } from 'vitest';
import { MarketClosedError } from '../../../src/domain/errors.js';
import { DecisionRecorder } from '../../../src/engine/decision-recorder.js';
import { ModelScorer } from '../../../src/engine/model-scoring.js';
import type { DecisionRecord } from '../../../src/ports/store.js';
import { engineFixture } from '../../support/engine-fixture.js';
import { decisionRecord } from '../../support/factories.js';

const START = new Date('2025-10-01T00:00:00Z');
const HOUR = 60 * 60_000;

function longVote(time: Date, price: number): DecisionRecord {
  const levels = { side: 'long', leverage: 3, stopLossPct: 0.05, takeProfitPct: 0.1 } as const;
  return decisionRecord({ time, price, action: 'long', confidence: 0.8, reasoning: 'trend resumes', ...levels });
}

async function scorerFixture() {
  const fixture = await engineFixture({ start: START, analysts: [], settings: { decisionBatchRows: 500 } });
  const recorder = new DecisionRecorder(fixture.ctx);
  const scorer = new ModelScorer(fixture.ctx, recorder);
  const queries: Date[] = [];
  const unscored = fixture.store.decisions.unscored.bind(fixture.store.decisions);
  fixture.store.decisions.unscored = (before, limit) => {
    queries.push(before);
    return unscored(before, limit);
  };
  const price = (await fixture.marketData.ticker('BTC/USDT:USDT')).last;
  return { ...fixture, recorder, scorer, queries, price };
}

describe('model scoring', () => {
  it('when a buffered vote has passed its horizon, then it is written and scored, and a pass with nothing due asks nothing', async () => {
    const { clock, recorder, scorer, queries, price, store } = await scorerFixture();
    await recorder.record([longVote(START, price)]);

    expect(await scorer.scorePending()).toBe(0);
    expect(queries).toHaveLength(1);
    clock.advanceBy(25 * HOUR);
    expect(await scorer.scorePending()).toBe(1);
    expect(queries).toHaveLength(2);
    clock.advanceBy(24 * HOUR);
    expect(await scorer.scorePending()).toBe(0);
    expect(queries).toHaveLength(2);
    const [record] = await store.decisions.trackRecords();
    expect(record).toMatchObject({ analyst: 'trend', votes: 1, scored: 1 });
  });

  it('when the owner asks for the track records, then the votes due are scored first', async () => {
    const { clock, recorder, scorer, price } = await scorerFixture();
    await scorer.scorePending();
    await recorder.record([longVote(START, price)]);
    clock.advanceBy(25 * HOUR);

    const [record] = await scorer.records();
    expect(record).toMatchObject({ analyst: 'trend', votes: 1, scored: 1 });
  });

  it('when one symbol\'s candles cannot be read, then its votes wait unscored for the next pass and the others are scored', async () => {
    const { clock, recorder, scorer, store, marketData, logger } = await scorerFixture();
    const ethPrice = (await marketData.ticker('ETH/USDT:USDT')).last;
    const btcPrice = (await marketData.ticker('BTC/USDT:USDT')).last;
    await recorder.record([
      { ...longVote(START, btcPrice), analyst: 'claude', symbol: 'BTC/USDT:USDT' },
      { ...longVote(START, ethPrice), analyst: 'grok', symbol: 'ETH/USDT:USDT' },
    ]);
    clock.advanceBy(25 * HOUR);
    const candles = marketData.candles.bind(marketData);
    marketData.candles = (symbol, timeframe, limit) => (symbol === 'BTC/USDT:USDT' ? Promise.reject(new Error('ETIMEDOUT')) : candles(symbol, timeframe, limit));

    expect(await scorer.scorePending()).toBe(1);
    expect(await store.decisions.trackRecords()).toMatchObject([
      { analyst: 'claude', votes: 1, scored: 0 },
      { analyst: 'grok', votes: 1, scored: 1 },
    ]);
    expect(logger.lines.filter((line) => line.level === 'warn').map((line) => line.context)).toEqual([
      { symbol: 'BTC/USDT:USDT', error: 'ETIMEDOUT' },
    ]);

    marketData.candles = candles;
    clock.advanceBy(HOUR);
    expect(await scorer.scorePending()).toBe(1);
    expect(await store.decisions.trackRecords()).toMatchObject([
      { analyst: 'claude', votes: 1, scored: 1 },
      { analyst: 'grok', votes: 1, scored: 1 },
    ]);
  });

  it('when the venue refuses a symbol for good (delisted), then its votes close as unscorable instead of holding back every later pass', async () => {
    const { clock, recorder, scorer, store, marketData } = await scorerFixture();
    const btcPrice = (await marketData.ticker('BTC/USDT:USDT')).last;
    await recorder.record([{ ...longVote(START, btcPrice), analyst: 'claude', symbol: 'BTC/USDT:USDT' }]);
    clock.advanceBy(25 * HOUR);
    marketData.candles = () => Promise.reject(new MarketClosedError('BTC/USDT:USDT: delisted'));

    expect(await scorer.scorePending()).toBe(1);
    expect(await store.decisions.unscored(clock.now(), 10)).toEqual([]);
  });
});
