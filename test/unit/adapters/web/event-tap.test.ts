// The dashboard's tap on the notifier must not take a booking's message out of its transaction.
import { describe, expect, it } from 'vitest';
import { NotifierTap } from '../../../../src/adapters/web/event-tap.js';
import type { TradingEvent } from '../../../../src/domain/events.js';
import type { TransactionScope } from '../../../../src/ports/notifier.js';
import { InMemoryStore } from '../../../../src/testing/in-memory-store.js';
import { RecordingNotifier } from '../../../../src/testing/recording-notifier.js';

const event: TradingEvent = { type: 'alert', at: new Date(0), severity: 'warning', incident: 'x', message: 'm', cleared: false };

describe('NotifierTap', () => {
  it('when an event comes within a transaction, then the inner notifier gets the scope and listeners hear it only after the commit', async () => {
    const inner = new RecordingNotifier();
    const scopes: (TransactionScope | undefined)[] = [];
    const tap = new NotifierTap({ notify: (e, within) => (scopes.push(within), inner.notify(e, within)) });
    const heard: string[] = [];
    tap.listen((e) => heard.push(e.type));
    const store = new InMemoryStore();
    let release!: () => void;
    const committed = new Promise<void>((resolve) => (release = resolve));

    await store.transaction(async (transaction) => {
      await tap.notify(event, { transaction, committed });
      expect(heard).toEqual([]);
    });
    release();
    await committed;
    await Promise.resolve();

    expect(scopes[0]?.committed).toBe(committed);
    expect(heard).toEqual(['alert']);
  });
});
