// The three analysts over the bundled Binance history (six majors, the five weeks after the 4h warm-up, one step per
// closed 15m candle). Real markets are the point: a rule that fires every hour or never is useless for the demo.
import { describe, expect, it } from 'vitest';
import { createTechnicalAnalysts } from '../../../../../src/adapters/analyst/technical/index.js';
import { DEFAULT_RISK } from '../../../../../src/domain/settings.js';
import { HISTORY_SYMBOLS } from '../../../domain/indicators/real-candles.js';
import { surveyHistory } from './history-replay.js';

const survey = surveyHistory(createTechnicalAnalysts(DEFAULT_RISK), HISTORY_SYMBOLS);

describe('technical analysts on five weeks of real history', () => {
  it('steps through about five weeks of 15m candles for each of the six symbols', () => {
    // 4h EMA200 needs 200 closed 4h candles (33.3 days) of the 71 bundled, leaving ~37.7 days = ~3,600 steps each.
    expect(survey.steps).toBeGreaterThan(6 * 3500);
    expect(survey.steps).toBeLessThan(6 * 3700);
  });

  it.each(['trend', 'reversion', 'momentum'])('the %s analyst votes both ways, but holds most of the time', (name) => {
    const tally = survey.actions[name]!;
    expect(tally.long).toBeGreaterThan(0);
    expect(tally.short).toBeGreaterThan(0);
    expect(tally.hold / survey.steps).toBeGreaterThan(0.8);
  });

  it.each(['trend', 'reversion', 'momentum'])('the %s analyst reaches 0.75 on fewer than 3 %% of steps', (name) => {
    expect((survey.confident[name] ?? 0) / survey.steps).toBeLessThan(0.03);
  });

  it('every trade vote on real data keeps confidence in [0, 1], the stop within 5-10 %, R:R >= 1.5 and leverage 2-5', () => {
    const broken = survey.tradeVotes.filter(
      (vote) =>
        vote.confidence < 0 ||
        vote.confidence > 1 ||
        vote.stopLossPct! < DEFAULT_RISK.minStopLossPct ||
        vote.stopLossPct! > DEFAULT_RISK.maxStopLossPct ||
        vote.riskReward! < 1.5 ||
        vote.leverage! < 2 ||
        vote.leverage! > 5,
    );
    expect(survey.tradeVotes.length).toBeGreaterThan(1000);
    expect(broken).toEqual([]);
  });

  it('two or more analysts agree, each at a confidence of 0.75 or more, a handful of times: between 5 and 40 setups', () => {
    expect(survey.agreements.length).toBeGreaterThanOrEqual(5);
    expect(survey.agreements.length).toBeLessThanOrEqual(40);
    expect(new Set(survey.agreements.map((a) => a.symbol)).size).toBeGreaterThanOrEqual(3);
  });
});
