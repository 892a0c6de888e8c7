// Store contract: trades, daily performance, decisions.
import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/ports/store.js';
import { at, decision, era, newPosition, tradeFor } from './contract-fixtures.js';

export function ledgerCases(store: () => Store): void {
  describe('trades', () => {
    it('when a trade has more fills than one statement can carry, then all of them are stored in order', async () => {
      const base = era();
      const position = await store().positions.create(newPosition());
      // 6,000 fills at 11 parameters each would be 66,000 parameters in one INSERT; the protocol carries 65,535.
      const fills = Array.from({ length: 6_000 }, (_, index) => {
        const entry = index < 3_000;
        return { id: `fill-${index}`, orderId: entry ? 'entry' : 'exit', symbol: 'ANY', side: entry ? ('buy' as const) : ('sell' as const),
          price: entry ? 60_000 : 61_000, quantity: 0.001, fee: 0.03, time: at(base, entry ? 0 : 90) };
      });

      await store().trades.record(tradeFor(position.id, base, { quantity: 3, fills }));

      const [trade] = await store().trades.list({ from: at(base, 0), to: at(base, 100) });
      expect(trade?.fills.map((fill) => fill.id)).toEqual(fills.map((fill) => fill.id));
      expect(trade?.fills[5_999]).toEqual(fills[5_999]);
    });

    it('when a trade is recorded twice, then it is stored once with its fills in order', async () => {
      const base = era();
      const position = await store().positions.create(newPosition());
      const trade = tradeFor(position.id, base);
      const before = await store().trades.count();
      await store().trades.record(trade);
      await store().trades.record({ ...trade, netPnl: 1_000 });
      expect(await store().trades.count()).toBe(before + 1);
      expect(await store().trades.list({ from: at(base, 0), to: at(base, 1_000) })).toEqual([trade]);
    });

    it('when trades are listed, then [from, to) is oldest first and a limit gives the newest first', async () => {
      const base = era();
      const ids: string[] = [];
      for (const minutes of [30, 10, 20]) {
        const position = await store().positions.create(newPosition());
        await store().trades.record(tradeFor(position.id, base, { closedAt: at(base, minutes), fills: [] }));
        ids.push(position.id);
      }
      const [at30, at10, at20] = ids;
      const window = { from: at(base, 10), to: at(base, 30) };
      expect((await store().trades.list(window)).map((trade) => trade.positionId)).toEqual([at10, at20]);
      const newest = await store().trades.list({ from: at(base, 0), to: at(base, 60), limit: 2 });
      expect(newest.map((trade) => trade.positionId)).toEqual([at30, at20]);
    });

    it('when a trade names a position that does not exist, then it is refused', async () => {
      await expect(store().trades.record(tradeFor('987654321', era()))).rejects.toThrow(/does not exist/);
    });
  });

  describe('daily performance', () => {
    it('when trades are added to a new day, then the day opens at capital before the first trade and accumulates', async () => {
      const day = new Date(era()).toISOString().slice(0, 10);
      const position = await store().positions.create(newPosition());
      const win = tradeFor(position.id, era(), { netPnl: 10, entryFee: 0.5, exitFee: 0.25, funding: -0.1 });
      const loss = tradeFor(position.id, era(), { netPnl: -4, entryFee: 0.2, exitFee: 0.2, funding: 0.3 });
      await store().dailyPerformance.addTrade(day, win, 1_010);
      const after = await store().dailyPerformance.addTrade(day, loss, 1_006);
      // start 1010 - 10; fees 0.5 + 0.25 + 0.2 + 0.2; funding -0.1 + 0.3; net 10 - 4
      expect(after).toEqual({
        day,
        startCapital: 1_000,
        endCapital: 1_006,
        trades: 2,
        wins: 1,
        losses: 1,
        netPnl: 6,
        fees: 1.15,
        funding: 0.2,
      });
      expect(await store().dailyPerformance.get(day)).toEqual(after);
    });

    it('when the day\u2019s figures run past $8,192, then they are the exact decimal sums, to the cent', async () => {
      const day = new Date(era()).toISOString().slice(0, 10);
      const position = await store().positions.create(newPosition());
      const base = era();
      // Past 8,192 a double is coarser than the 12 decimals kept, so summing doubles and rounding leaves its error in.
      const trades = [
        { trade: tradeFor(position.id, base, { netPnl: 0.2, entryFee: 0.1, exitFee: 0.2, funding: -0.1 }), capitalAfter: 10_000.3 },
        { trade: tradeFor(position.id, base, { netPnl: 10_000.1, entryFee: 8_000.1, exitFee: 0.2, funding: 4_096.7 }), capitalAfter: 20_000.4 },
        { trade: tradeFor(position.id, base, { netPnl: -0.7, entryFee: 0.3, exitFee: 0.4, funding: 0.05 }), capitalAfter: 19_999.7 },
      ];

      const figures = [];
      for (const { trade, capitalAfter } of trades) figures.push(await store().dailyPerformance.addTrade(day, trade, capitalAfter));

      expect(figures.map(({ startCapital, netPnl, fees, funding }) => ({ startCapital, netPnl, fees, funding }))).toEqual([
        { startCapital: 10_000.1, netPnl: 0.2, fees: 0.3, funding: -0.1 },
        { startCapital: 10_000.1, netPnl: 10_000.3, fees: 8_000.6, funding: 4_096.6 },
        { startCapital: 10_000.1, netPnl: 9_999.6, fees: 8_001.3, funding: 4_096.65 },
      ]);
      expect(await store().dailyPerformance.get(day)).toEqual(figures[2]);
    });

    it('when a trade closed at exactly zero is added, then it counts as a trade but neither a win nor a loss', async () => {
      const day = new Date(era()).toISOString().slice(0, 10);
      const position = await store().positions.create(newPosition());
      const result = await store().dailyPerformance.addTrade(day, tradeFor(position.id, era(), { netPnl: 0 }), 500);
      expect(result).toMatchObject({ trades: 1, wins: 0, losses: 0, startCapital: 500 });
    });

    it('when a day is opened twice, then the first starting capital stands, and ranges are inclusive and ordered', async () => {
      const base = era();
      const days = [0, 1, 2].map((offset) => new Date(base + offset * 86_400_000).toISOString().slice(0, 10));
      const [first, second, third] = days as [string, string, string];
      await store().dailyPerformance.openDay(third, 3);
      await store().dailyPerformance.openDay(first, 1);
      expect(await store().dailyPerformance.openDay(first, 999)).toMatchObject({ startCapital: 1, endCapital: 1, trades: 0 });
      await store().dailyPerformance.openDay(second, 2);
      expect((await store().dailyPerformance.range(first, second)).map((entry) => entry.day)).toEqual([first, second]);
      expect(await store().dailyPerformance.get('1900-01-01')).toBeUndefined();
    });

    it('when money is paid in or taken out during a day, then its start and end move by it and its result stays its trades\'; a day not opened is left alone', async () => {
      const day = new Date(era()).toISOString().slice(0, 10);
      const position = await store().positions.create(newPosition());
      await store().dailyPerformance.addTrade(day, tradeFor(position.id, era(), { netPnl: 5 }), 105);

      await store().dailyPerformance.transfer(day, 900.1);
      await store().dailyPerformance.transfer(day, -0.3);
      await store().dailyPerformance.transfer('1900-01-01', 50);

      expect(await store().dailyPerformance.get(day)).toMatchObject({ startCapital: 999.8, endCapital: 1004.8, netPnl: 5, trades: 1 });
      expect(await store().dailyPerformance.get('1900-01-01')).toBeUndefined();
    });
  });

  describe('decisions', () => {
    it('when decisions are recorded, then cost sums over [from, to) and they read back as written', async () => {
      const base = era();
      const rejected = { outcome: 'rejected', action: 'hold', reason: 'schema mismatch', raw: undefined, side: undefined } as const;
      const inside = [decision(at(base, 0), 0.01), decision(at(base, 5), 0.02, rejected)];
      const outside = decision(at(base, 10), 0.5);
      await store().decisions.recordMany([...inside, outside]);
      expect(await store().decisions.costBetween(at(base, 0), at(base, 10))).toBe(0.03);
      expect(await store().decisions.list({ from: at(base, 0), to: at(base, 10) })).toEqual(inside);
      expect(await store().decisions.list({ from: at(base, 0), to: at(base, 60), limit: 1 })).toEqual([outside]);
    });

    it('when an answer holds half a character (an emoji cut where it was bounded) or a NUL, then it is stored with U+FFFD in their place, on every store alike', async () => {
      const base = era();
      const cut = `up \u{1F4C8}`.slice(0, -1);
      const odd = decision(at(base, 0), 0.01, { reasoning: `${cut} and a\u0000b`, raw: `{"reasoning": "${cut}"}`, reason: `lone \udc00 low` });
      await store().decisions.recordMany([odd]);
      const [stored] = await store().decisions.list({ from: at(base, 0), to: at(base, 1) });
      expect(stored).toMatchObject({ reasoning: 'up \uFFFD and a\uFFFDb', raw: '{"reasoning": "up \uFFFD"}', reason: 'lone \uFFFD low' });
    });

    it('when answers were taken over from shadows, then they count in the cost and sum per shadow over [from, to)', async () => {
      const base = era();
      const fromTwin = (minute: number, cost: number) => decision(at(base, minute), cost, { usage: { ...decision(at(base, 0), cost).usage, takenOverFrom: 'twin' } });
      const rows = [decision(at(base, 0), 0.01), fromTwin(1, 0.002), fromTwin(2, 0.003), decision(at(base, 3), 0.004, { usage: { ...decision(at(base, 0), 0.004).usage, takenOverFrom: 'other' } }), fromTwin(10, 0.5)];
      await store().decisions.recordMany(rows);
      expect(await store().decisions.costBetween(at(base, 0), at(base, 10))).toBe(0.019);
      expect(await store().decisions.costTakenOverFrom('twin', at(base, 0), at(base, 10))).toBe(0.005);
      expect(await store().decisions.costTakenOverFrom('other', at(base, 0), at(base, 10))).toBe(0.004);
      expect(await store().decisions.costTakenOverFrom('none', at(base, 0), at(base, 10))).toBe(0);
      expect(await store().decisions.list({ from: at(base, 0), to: at(base, 10) })).toEqual(rows.slice(0, 4));
    });

    it('when a replay-sized batch is recorded, then every row lands', async () => {
      const base = era();
      const batch = Array.from({ length: 1_500 }, (_, index) => decision(at(base, index), 0.001));
      await store().decisions.recordMany(batch);
      expect(await store().decisions.list({ from: at(base, 0), to: at(base, 1_500) })).toHaveLength(1_500);
    });

    it('when votes are scored, then only directional valid entry votes are pending and the track record adds up', async () => {
      const base = era();
      const analyst = `scorer-${base}`;
      const mine = <T extends { analyst: string }>(list: T[]): T[] => list.filter((row) => row.analyst === analyst);
      const right = decision(at(base, 0), 0, { analyst, confidence: 0.9 });
      const wrong = decision(at(base, 1), 0, { analyst, confidence: 0.7, side: 'short', action: 'short' });
      const unscorable = decision(at(base, 2), 0, { analyst, confidence: 0.8 });
      const hold = decision(at(base, 3), 0, { analyst, action: 'hold', side: undefined });
      const rejected = decision(at(base, 4), 0, { analyst, outcome: 'rejected', action: 'hold', side: undefined });
      const tooRecent = decision(at(base, 90), 0, { analyst });
      await store().decisions.recordMany([right, wrong, unscorable, hold, rejected, tooRecent]);

      const pending = mine(await store().decisions.unscored(at(base, 60), 1_000_000));
      expect(pending.map((p) => [p.side, p.confidence, p.price, p.stopLossPct, p.takeProfitPct])).toEqual([
        ['long', 0.9, 60_000, 0.06, 0.12],
        ['short', 0.7, 60_000, 0.06, 0.12],
        ['long', 0.8, 60_000, 0.06, 0.12],
      ]);
      const [first, second, third] = pending;
      await store().decisions.recordScores(
        [
          { id: first?.id ?? '', hit: true },
          { id: second?.id ?? '', hit: false },
          { id: third?.id ?? '', hit: null },
        ],
        at(base, 70),
      );
      expect(mine(await store().decisions.unscored(at(base, 60), 1_000_000))).toEqual([]);

      const [record] = mine(await store().decisions.trackRecords());
      expect(record).toMatchObject({ analyst, votes: 4, scored: 2, hits: 1, hitRate: 0.5 });
      expect(record?.avgConfidenceWhenRight).toBeCloseTo(0.9, 9);
      expect(record?.avgConfidenceWhenWrong).toBeCloseTo(0.7, 9);
    });

    it('when an exit decision names a stored position, then it keeps the position id', async () => {
      const base = era();
      const position = await store().positions.create(newPosition());
      const exit = decision(at(base, 0), 0, { purpose: 'exit', action: 'stay', positionId: position.id });
      await store().decisions.recordMany([exit]);
      expect((await store().decisions.list({ from: at(base, 0), to: at(base, 1) }))[0]?.positionId).toBe(position.id);
    });
  });
}
