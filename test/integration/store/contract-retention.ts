// Store contract: retention. A prune deletes every row older than its cutoff, whichever case wrote it, so each case
// here works further back in time than the one before and than any other case: what other cases wrote is newer.
import { describe, expect, it } from 'vitest';
import type { LogEntry, Store } from '../../../src/ports/store.js';
import { at, decision, newPosition } from './contract-fixtures.js';

let ancientEras = 0;
function ancientEra(): number {
  ancientEras += 1;
  return Date.UTC(1800 - ancientEras, 0, 1);
}

export function retentionCases(store: () => Store): void {
  describe('retention', () => {
    it('when old decisions are pruned, then they go oldest first up to the limit, and unscored votes and the votes around an opening stay', async () => {
      const base = ancientEra();
      const position = await store().positions.create(newPosition({ openedAt: at(base, 100) }));
      const onSymbol = { symbol: position.symbol };
      const hold = { action: 'hold', side: undefined } as const;
      const hold0 = decision(at(base, 0), 0.01, hold);
      const rejected = decision(at(base, 1), 0.01, { outcome: 'rejected', action: 'hold', side: undefined, reason: 'schema' });
      const exit = decision(at(base, 2), 0.01, { purpose: 'exit', action: 'stay', positionId: position.id });
      const unscored = decision(at(base, 3), 0.01);
      const tooEarly = decision(at(base, 69), 0.01, { ...onSymbol, ...hold });
      const firstKept = decision(at(base, 70), 0.01, { ...onSymbol, ...hold });
      const exitAtOpening = decision(at(base, 100), 0.01, { ...onSymbol, purpose: 'exit', action: 'exit' });
      const lastKept = decision(at(base, 101), 0.01, { ...onSymbol, ...hold });
      const tooLate = decision(at(base, 102), 0.01, { ...onSymbol, ...hold });
      const newer = decision(at(base, 200), 0.01, hold);
      await store().decisions.recordMany([hold0, rejected, exit, unscored, tooEarly, firstKept, exitAtOpening, lastKept, tooLate, newer]);
      const cutoff = at(base, 150);

      expect(await store().decisions.pruneBefore(cutoff, 2)).toBe(2);
      const window = { from: at(base, 0), to: at(base, 1_000) };
      expect(await store().decisions.list(window)).toEqual([exit, unscored, tooEarly, firstKept, exitAtOpening, lastKept, tooLate, newer]);
      expect(await store().decisions.pruneBefore(cutoff, 1_000)).toBe(4);
      expect(await store().decisions.pruneBefore(cutoff, 1_000)).toBe(0);
      expect(await store().decisions.list(window)).toEqual([unscored, firstKept, lastKept, newer]);
      expect(await store().decisions.costBetween(at(base, 0), at(base, 1_000))).toBe(0.04);
    });

    it('when scored votes are pruned, then every track record reads as before, an analyst left with no rows included', async () => {
      const base = ancientEra();
      const analyst = `kept-record-${base}`;
      const silent = `silent-${base}`;
      const mine = <T extends { analyst: string }>(list: T[]): T[] => list.filter((row) => row.analyst === analyst || row.analyst === silent);
      const votes = [
        decision(at(base, 0), 0, { analyst, confidence: 0.9 }),
        decision(at(base, 1), 0, { analyst, confidence: 0.7, side: 'short', action: 'short' }),
        decision(at(base, 2), 0, { analyst, confidence: 0.8 }),
        decision(at(base, 3), 0, { analyst, action: 'hold', side: undefined }),
        decision(at(base, 4), 0, { analyst, outcome: 'failed', action: 'hold', side: undefined }),
        decision(at(base, 5), 0, { analyst, stopLossPct: undefined, takeProfitPct: undefined }),
        decision(at(base, 6), 0, { analyst: silent, action: 'hold', side: undefined }),
        decision(at(base, 500), 0, { analyst, confidence: 0.65 }),
      ];
      await store().decisions.recordMany(votes);
      const pending = (await store().decisions.unscored(at(base, 1_000), 1_000_000)).filter((vote) => vote.analyst === analyst);
      const hits = [true, false, null, true];
      await store().decisions.recordScores(pending.map((vote, index) => ({ id: vote.id, hit: hits[index] ?? null })), at(base, 600));
      const before = mine(await store().decisions.trackRecords());
      expect(before.map((record) => [record.analyst, record.votes, record.scored, record.hits])).toEqual([
        [analyst, 5, 3, 2],
        [silent, 0, 0, 0],
      ]);

      expect(await store().decisions.pruneBefore(at(base, 100), 1_000)).toBe(7);

      expect(mine(await store().decisions.trackRecords())).toEqual(before);
      expect(await store().decisions.list({ from: at(base, 0), to: at(base, 1_000) })).toEqual(votes.slice(-1));
      // The carried figures add to those of later votes pruned in turn.
      expect(await store().decisions.pruneBefore(at(base, 1_000), 1_000)).toBe(1);
      expect(mine(await store().decisions.trackRecords())).toEqual(before);
    });

    it('when old log entries are pruned, then they go oldest first up to the limit, and newer ones stay', async () => {
      const base = ancientEra();
      const line = (minute: number): LogEntry => ({ time: at(base, minute), level: 'info', message: `at ${minute}` });
      await store().logs.append([line(2), line(0), line(1), line(50)]);
      expect(await store().logs.pruneBefore(at(base, 10), 1)).toBe(1);
      // The one that went was the oldest: nothing is left before minute 1.
      expect(await store().logs.pruneBefore(at(base, 1), 10)).toBe(0);
      expect(await store().logs.pruneBefore(at(base, 10), 10)).toBe(2);
      expect(await store().logs.pruneBefore(at(base, 10), 10)).toBe(0);
      expect(await store().logs.pruneBefore(at(base, 60), 10)).toBe(1);
    });

    it('when old refusals and breaker events are pruned, then they go oldest first up to the limit, and newer ones stay', async () => {
      const base = ancientEra();
      const refusal = (minute: number) => ({ time: at(base, minute), symbol: 'BTC/USDT:USDT', side: 'long' as const, price: 100, confidence: 0.8, opportunityScore: 85, reasons: [`at ${minute}`] });
      const event = (minute: number) => ({ time: at(base, minute), breaker: 'daily_loss' as const, action: 'tripped' as const, detail: `at ${minute}` });
      for (const minute of [2, 0, 1, 50]) {
        await store().rejections.record(refusal(minute));
        await store().breakers.record(event(minute));
      }
      const window = { from: at(base, 0), to: at(base, 100) };

      expect(await store().rejections.pruneBefore(at(base, 10), 2)).toBe(2);
      expect(await store().breakers.pruneBefore(at(base, 10), 2)).toBe(2);
      expect((await store().rejections.list(window)).map((row) => row.reasons)).toEqual([['at 2'], ['at 50']]);
      expect((await store().breakers.list(window)).map((row) => row.detail)).toEqual(['at 2', 'at 50']);
      expect(await store().rejections.pruneBefore(at(base, 10), 10)).toBe(1);
      expect(await store().breakers.pruneBefore(at(base, 10), 10)).toBe(1);
      expect((await store().rejections.list(window)).map((row) => row.reasons)).toEqual([['at 50']]);
      expect((await store().breakers.list(window)).map((row) => row.detail)).toEqual(['at 50']);
    });

    it('when old messages are pruned, then delivered ones go oldest first, and one not delivered yet and every start-up message stay', async () => {
      const base = ancientEra();
      const message = (minute: number, eventType = 'position_closed') => store().outbox.enqueue({ createdAt: at(base, minute), eventType, text: `at ${minute}`, payload: {} });
      const closedFirst = await message(0);
      const waiting = await message(1);
      const started = await message(2, 'started');
      const closedLater = await message(3);
      const newer = await message(50);
      for (const delivered of [closedFirst, started, closedLater, newer]) await store().outbox.markDelivered(delivered.id, at(base, 60));

      expect(await store().outbox.pruneBefore(at(base, 10), 1)).toBe(1);
      expect(await store().outbox.pruneBefore(at(base, 10), 10)).toBe(1);
      expect(await store().outbox.pruneBefore(at(base, 10), 10)).toBe(0);
      expect((await store().outbox.due(at(base, 1_000), 1_000)).map((row) => row.id)).toContain(waiting.id);
      // Once delivered, it goes too; the start-up message and the newer one never do.
      await store().outbox.markDelivered(waiting.id, at(base, 60));
      expect(await store().outbox.pruneBefore(at(base, 10), 10)).toBe(1);
      expect(await store().outbox.pruneBefore(at(base, 1_000), 10)).toBe(1);
      expect(await store().outbox.pruneBefore(at(base, 1_000), 10)).toBe(0);
    });

    it('when a prune runs in a transaction that throws, then nothing was pruned and nothing written around it remains', async () => {
      const base = ancientEra();
      await store().decisions.recordMany([decision(at(base, 0), 0.01, { action: 'hold', side: undefined }), decision(at(base, 1), 0.02, { outcome: 'failed', action: 'hold', side: undefined })]);
      await store().logs.append([{ time: at(base, 0), level: 'warn', message: 'old' }]);
      await expect(
        store().transaction(async (tx) => {
          await tx.decisions.recordMany([decision(at(base, 2), 0.04, { action: 'hold', side: undefined })]);
          expect(await tx.decisions.pruneBefore(at(base, 10), 10)).toBe(3);
          expect(await tx.logs.pruneBefore(at(base, 10), 10)).toBe(1);
          await tx.decisions.recordMany([decision(at(base, 3), 0.08, { action: 'hold', side: undefined })]);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store().decisions.costBetween(at(base, 0), at(base, 10))).toBe(0.03);
      expect(await store().decisions.pruneBefore(at(base, 10), 10)).toBe(2);
      expect(await store().logs.pruneBefore(at(base, 10), 10)).toBe(1);
    });
  });
}
