// An AI exit opinion takes seconds: the exit rules decide on the price when it arrives, so "never a discretionary close
// of a winner below MIN_PROFIT_USD" holds at the close, not only at the price from before the call.
import { afterEach, describe, expect, it } from 'vitest';
import type { ExitVote, MarketSnapshot } from '../../../src/domain/analysis.js';
import type { Position } from '../../../src/domain/trading.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { LiveProcess, startVenue } from './live-harness.js';

let venue: FakeBinance | undefined;
let proc: LiveProcess | undefined;

afterEach(async () => {
  await proc?.close();
  await venue?.close();
  proc = undefined;
  venue = undefined;
});

/** Says exit; while it thinks, the market moves to `priceAfter`. */
class SlowExitAnalyst extends ScriptedAnalyst {
  constructor(
    name: string,
    private readonly market: FakeBinance,
    private readonly priceAfter: number,
  ) {
    super(name, () => ({ action: 'hold' }), 'ai');
    this.exitAnswer = { outcome: 'valid', shouldExit: true, confidence: 0.9, reason: 'momentum turned' };
  }

  override async exitOpinion(position: Position, snapshot: MarketSnapshot): Promise<ExitVote> {
    this.market.setPrice('BTCUSDT', this.priceAfter);
    return super.exitOpinion(position, snapshot);
  }
}

async function openedLong(priceAfterOpinion: number): Promise<{ proc: LiveProcess; store: InMemoryStore }> {
  venue = await startVenue();
  const store = new InMemoryStore();
  const exitAnalysts = [new SlowExitAnalyst('claude', venue, priceAfterOpinion), new SlowExitAnalyst('grok', venue, priceAfterOpinion)];
  proc = new LiveProcess(venue, store, { exitAnalysts });
  await proc.prepare();
  venue.setPrice('BTCUSDT', 100_000);
  expect((await proc.enter()).status).toBe('opened');
  return { proc, store };
}

describe('an AI exit opinion and the price it is acted on', () => {
  it('when the price moves into the protected band while the models answer, then the position is kept', async () => {
    // Long 0.023 BTC at 100,000: at 99,950 it is about $4.50 down after fees and slippage, and the models are asked.
    // By their answer it is at 100,200, about $1 up: a winner below the $2.50 minimum, which no discretionary exit may
    // close.
    const { proc, store } = await openedLong(100_200);
    venue!.advance(60_000);
    venue!.setPrice('BTCUSDT', 99_950);

    const result = await proc.parts.monitor.check(await store.positions.active());

    expect(result.closed).toBe(0);
    expect(await store.trades.list()).toEqual([]);
    expect((await store.positions.active()).map((p) => p.status)).toEqual(['open']);
  });

  it('when the price stays out of the band, then the models\u2019 exit closes the position', async () => {
    const { proc, store } = await openedLong(99_940);
    venue!.advance(60_000);
    venue!.setPrice('BTCUSDT', 99_950);

    const result = await proc.parts.monitor.check(await store.positions.active());

    expect(result.closed).toBe(1);
    expect((await store.trades.list()).map((t) => t.reason)).toEqual(['ai_exit']);
  });
});
