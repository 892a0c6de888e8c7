// Store contract: outbox, transactions, trading state, breaker events, paper account, logs.
import { describe, expect, it } from 'vitest';
import type { PaperHistoryEntry, Store } from '../../../src/ports/store.js';
import { at, era, latestEra, newPosition, pastEra, tradeFor } from './contract-fixtures.js';

export function bookkeepingCases(store: () => Store): void {
  describe('outbox', () => {
    const message = (createdAt: Date, text: string) => ({ createdAt, eventType: 'alert', text, payload: { text, list: [1, 2] } });

    it('when a message holds a NUL or half a character, then it is queued with U+FFFD in their place, not refused', async () => {
      const base = pastEra();
      const queued = await store().outbox.enqueue(message(at(base, 0), 'a\u0000b \ud83d'));
      expect(queued).toMatchObject({ text: 'a\uFFFDb \uFFFD', payload: { text: 'a\uFFFDb \uFFFD' } });
      await store().outbox.markDelivered(queued.id, at(base, 0));
    });

    it('when messages are due, then the undelivered ones come back oldest first, up to the limit', async () => {
      const base = pastEra();
      const later = await store().outbox.enqueue(message(at(base, 2), 'later'));
      const first = await store().outbox.enqueue(message(at(base, 0), 'first'));
      const middle = await store().outbox.enqueue(message(at(base, 1), 'middle'));
      expect(first).toMatchObject({ attempts: 0, nextAttemptAt: at(base, 0), payload: { text: 'first', list: [1, 2] } });
      expect((await store().outbox.due(at(base, 5), 10)).map((due) => due.id)).toEqual([first.id, middle.id, later.id]);
      expect((await store().outbox.due(at(base, 5), 2)).map((due) => due.id)).toEqual([first.id, middle.id]);
      expect((await store().outbox.due(at(base, 1), 10)).map((due) => due.id)).toEqual([first.id, middle.id]);
    });

    it('when a delivery fails, then the message waits until its next attempt with the error and attempt counted', async () => {
      const base = pastEra();
      const queued = await store().outbox.enqueue(message(at(base, 0), 'retry me'));
      await store().outbox.markFailed(queued.id, 'telegram 502', at(base, 30));
      expect(await store().outbox.due(at(base, 29), 10)).toEqual([]);
      const [due] = await store().outbox.due(at(base, 30), 10);
      expect(due).toMatchObject({ id: queued.id, attempts: 1, lastError: 'telegram 502', nextAttemptAt: at(base, 30) });
    });

    it('when the oldest message waits for its retry, then the later ones wait behind it, so they go out in order', async () => {
      const base = pastEra();
      const held = await store().outbox.enqueue(message(at(base, 0), 'opened'));
      const behind = await store().outbox.enqueue(message(at(base, 1), 'closed'));
      await store().outbox.markFailed(held.id, 'telegram 502', at(base, 30));
      expect(await store().outbox.due(at(base, 5), 10)).toEqual([]);
      expect((await store().outbox.due(at(base, 30), 10)).map((due) => due.id)).toEqual([held.id, behind.id]);
    });

    it('when a message is delivered, then it is no longer due and the backlog shrinks', async () => {
      const base = pastEra();
      const queued = await store().outbox.enqueue(message(at(base, 0), 'deliver me'));
      const backlog = await store().outbox.backlog();
      await store().outbox.markDelivered(queued.id, at(base, 1));
      expect(await store().outbox.backlog()).toBe(backlog - 1);
      expect(await store().outbox.due(at(base, 60), 10)).toEqual([]);
    });
  });

  describe('transactions', () => {
    it('when the work throws, then none of its writes remain', async () => {
      const input = newPosition();
      const base = era();
      const backlog = await store().outbox.backlog();
      const work = store().transaction(async (tx) => {
        await tx.positions.create(input);
        await tx.outbox.enqueue({ createdAt: at(base, 0), eventType: 'alert', text: 'lost', payload: {} });
        await tx.state.put(`rolled-back-${base}`, { yes: true });
        throw new Error('boom');
      });
      await expect(work).rejects.toThrow('boom');
      expect((await store().positions.active()).some((position) => position.symbol === input.symbol)).toBe(false);
      expect(await store().outbox.backlog()).toBe(backlog);
      expect(await store().state.get(`rolled-back-${base}`)).toBeUndefined();
    });

    it('when the work throws after appending events, then those events are gone and the ones before it remain', async () => {
      const base = era();
      const kept = { time: at(base, 0), breaker: 'daily_loss' as const, action: 'tripped' as const, detail: 'before' };
      await store().breakers.record(kept);
      const work = store().transaction(async (tx) => {
        await tx.breakers.record({ time: at(base, 1), breaker: 'daily_loss' as const, action: 'cleared' as const, detail: 'lost' });
        await tx.rejections.record({ time: at(base, 1), symbol: 'BTC/USDT:USDT', side: 'long' as const, price: 1, confidence: 0.8, opportunityScore: 80, reasons: ['lost'] });
        throw new Error('boom');
      });
      await expect(work).rejects.toThrow('boom');
      await store().breakers.record({ ...kept, time: at(base, 2), detail: 'after' });
      expect((await store().breakers.list({ from: at(base, 0), to: at(base, 3) })).map((event) => event.detail)).toEqual(['before', 'after']);
      expect(await store().rejections.list({ from: at(base, 0), to: at(base, 3) })).toEqual([]);
    });

    it('when the work succeeds, then all of its writes land and its result is returned', async () => {
      const input = newPosition();
      const result = await store().transaction(async (tx) => {
        const position = await tx.positions.create(input);
        await tx.positions.update(position.id, { status: 'open' });
        return position.id;
      });
      expect((await store().positions.get(result))?.status).toBe('open');
    });

    it('when two transactions overlap and the first one rolls back, then the writes of the second one remain', async () => {
      const base = era();
      const kept = await store().positions.create(newPosition());
      const lost = await store().positions.create(newPosition());
      const failing = store().transaction(async (tx) => {
        await tx.trades.record(tradeFor(lost.id, base));
        await tx.state.put(`lost-${base}`, true);
        // Still open while the other one commits, wherever the store lets them run side by side.
        for (let read = 0; read < 5; read++) await tx.state.get(`lost-${base}`);
        throw new Error('boom');
      });
      const committing = store().transaction(async (tx) => {
        await tx.trades.record(tradeFor(kept.id, base));
        await tx.state.put(`kept-${base}`, true);
      });

      await expect(failing).rejects.toThrow('boom');
      await committing;

      const booked = await store().trades.list({ from: at(base, 0), to: at(base, 100) });
      expect(booked.map((trade) => trade.positionId)).toEqual([kept.id]);
      expect([await store().state.get(`kept-${base}`), await store().state.get(`lost-${base}`)]).toEqual([true, undefined]);
    });

    it('when the store itself is used inside a transaction, then that call fails instead of escaping it', async () => {
      const work = store().transaction(async () => store().positions.active());
      await expect(work).rejects.toThrow(/inside store().transaction/);
      await expect(store().ping()).resolves.toBeUndefined();
    });

    it('when transactions come one after another or overlap, then each still refuses the store used directly', async () => {
      await store().transaction(async (tx) => tx.state.get(`before-${era()}`));
      await expect(store().transaction(async () => store().outbox.backlog())).rejects.toThrow(/inside store().transaction/);

      let release = (): void => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const waiting = store().transaction(async () => {
        await gate;
        return store().positions.active();
      });
      const other = store().transaction(async (tx) => tx.state.get(`other-${era()}`));
      release();
      await expect(waiting).rejects.toThrow(/inside store().transaction/);
      await expect(other).resolves.toBeUndefined();
      await expect(store().transaction(async () => store().trades.list({ limit: 1 }))).rejects.toThrow(/inside store().transaction/);
    });
  });

  describe('state, breakers, paper account, logs', () => {
    it('when state is put, then it reads back as JSON and a later put replaces it', async () => {
      const key = `breakers-${era()}`;
      expect(await store().state.get(key)).toBeUndefined();
      await store().state.put(key, { lossStreak: 2, until: '2024-01-01T00:00:00.000Z', list: ['a'] });
      await store().state.put(key, { lossStreak: 3 });
      expect(await store().state.get(key)).toEqual({ lossStreak: 3 });
      await store().state.put(`${key}-text`, 'plain text');
      expect(await store().state.get(`${key}-text`)).toBe('plain text');
    });

    it('when breaker events are recorded, then they list oldest first within [from, to)', async () => {
      const base = era();
      const tripped = { time: at(base, 0), breaker: 'daily_loss' as const, action: 'tripped' as const, detail: 'lost 5.1%' };
      const cleared = { time: at(base, 60), breaker: 'daily_loss' as const, action: 'cleared' as const, detail: 'new day' };
      await store().breakers.record(cleared);
      await store().breakers.record(tripped);
      expect(await store().breakers.list({ from: at(base, 0), to: at(base, 61) })).toEqual([tripped, cleared]);
      expect(await store().breakers.list({ from: at(base, 0), to: at(base, 60) })).toEqual([tripped]);
    });

    it('when risk rejections are recorded, then they list oldest first with their reasons and exact numbers', async () => {
      const base = era();
      const later = { time: at(base, 30), symbol: 'ETH/USDT:USDT', side: 'short' as const, price: 4012.37, confidence: 0.8, opportunityScore: 82.5, reasons: ['a position in ETH/USDT:USDT is already open'] };
      const first = { time: at(base, 0), symbol: 'BTC/USDT:USDT', side: 'long' as const, price: 112345.6, confidence: 0.775, opportunityScore: 80.25, reasons: ['stop-loss 4.99% is closer than the 5.00% minimum', 'daily loss limit reached (-$10.00 today)'] };
      await store().rejections.record(later);
      await store().rejections.record(first);
      expect(await store().rejections.list({ from: at(base, 0), to: at(base, 31) })).toEqual([first, later]);
      expect(await store().rejections.list({ from: at(base, 1), to: at(base, 31) })).toEqual([later]);
    });

    it('when the paper account is saved twice, then the latest balance and state load back, with every history entry in order', async () => {
      const before = (await store().paperAccount.load())?.history.length ?? 0;
      const fill = { id: 'fill-1', price: 100_000.5, time: 1_760_000_000_000 };
      const order = { id: 'paper-1', status: 'filled' };
      const funding = { symbol: 'BTC/USDT:USDT', time: 1_760_000_100_000, amount: -0.0123 };
      await store().paperAccount.save(10_000, { open: [] }, [
        { kind: 'order', entry: order },
        { kind: 'fill', entry: fill },
      ]);
      await store().paperAccount.save(10_012.345678, { open: [{ symbol: 'BTC/USDT:USDT', quantity: 0.01 }] }, [{ kind: 'funding', entry: funding }]);
      const loaded = await store().paperAccount.load();
      expect(loaded).toMatchObject({ balance: 10_012.345678, state: { open: [{ symbol: 'BTC/USDT:USDT', quantity: 0.01 }] } });
      expect(loaded?.history.slice(before)).toEqual([
        { kind: 'order', entry: order },
        { kind: 'fill', entry: fill },
        { kind: 'funding', entry: funding },
      ]);
    });

    it('when a paper history entry is of an unknown kind, then the save fails and neither the state nor the entries land', async () => {
      const before = await store().paperAccount.load();
      const bad = [{ kind: 'fill', entry: { id: 'fill-2' } }, { kind: 'bonus', entry: {} }] as unknown as PaperHistoryEntry[];
      await expect(store().paperAccount.save(1, { open: ['lost'] }, bad)).rejects.toThrow();
      expect(await store().paperAccount.load()).toEqual(before);
    });

    it('when many log entries are appended at once, then the batch is accepted', async () => {
      const time = new Date(era());
      const entries = Array.from({ length: 7_000 }, (_, index) => ({
        time,
        level: 'info',
        module: 'test',
        message: `line ${index}`,
        context: { index },
      }));
      await expect(store().logs.append(entries)).resolves.toBeUndefined();
    });

    it('when the recent warnings are read, then the newest at or above the level come first, up to the limit, with their context', async () => {
      const base = latestEra();
      const line = (minute: number, level: string, message: string, context?: Record<string, unknown>) => ({
        time: at(base, minute),
        level,
        module: 'monitor',
        message,
        ...(context === undefined ? {} : { context }),
      });
      await store().logs.append([
        line(0, 'warn', 'oldest warning'),
        line(1, 'info', 'an info line'),
        line(2, 'error', 'engine step failed', { step: 'scan', error: 'timeout after 10 s' }),
        line(3, 'debug', 'a debug line'),
      ]);
      await store().logs.append([line(3, 'fatal', 'first at 3'), { time: at(base, 3), level: 'warn', message: 'second at 3, no module' }]);

      const recent = await store().logs.recent(10, 'warn');
      expect(recent.slice(0, 4)).toEqual([
        { time: at(base, 3), level: 'warn', message: 'second at 3, no module' },
        line(3, 'fatal', 'first at 3'),
        line(2, 'error', 'engine step failed', { step: 'scan', error: 'timeout after 10 s' }),
        line(0, 'warn', 'oldest warning'),
      ]);
      expect((await store().logs.recent(2, 'warn')).map((entry) => entry.message)).toEqual(['second at 3, no module', 'first at 3']);
      expect((await store().logs.recent(2, 'error')).map((entry) => entry.message)).toEqual(['first at 3', 'engine step failed']);
      expect((await store().logs.recent(3, 'trace')).map((entry) => entry.message)).toEqual(['second at 3, no module', 'first at 3', 'a debug line']);
      expect(await store().logs.recent(0, 'warn')).toEqual([]);
    });

    it('when pinged, then the store answers', async () => {
      await expect(store().ping()).resolves.toBeUndefined();
    });
  });
}
