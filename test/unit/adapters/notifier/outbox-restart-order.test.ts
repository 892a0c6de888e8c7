// After a restart, a message whose retry is backed off is not overtaken by newer ones: the store gives nothing after a
// message whose retry is still ahead, so order survives a process that forgot it was holding back.
import { describe, expect, it } from 'vitest';
import { OutboxDelivery } from '../../../../src/adapters/notifier/outbox-delivery.js';
import { TemporaryError } from '../../../../src/domain/errors.js';
import { RecordingLogger } from '../../../../src/testing/silent-logger.js';
import { ManualClock } from './support/manual-clock.js';
import { MemoryOutbox } from './support/memory-outbox.js';
import { ScriptedSender } from './support/scripted-sender.js';

describe('outbox order across a restart', () => {
  it('a backed-off head message is not overtaken by newer messages after a restart', async () => {
    const clock = new ManualClock('2025-10-10T03:00:00Z');
    const outbox = new MemoryOutbox();
    const sender = new ScriptedSender(clock);
    const first = new OutboxDelivery({ outbox, sender, clock, logger: new RecordingLogger(), minIntervalMs: 1000 });
    await outbox.enqueue({ createdAt: clock.now(), eventType: 'position_opened', text: 'A opened', payload: {} });
    await outbox.enqueue({ createdAt: clock.now(), eventType: 'position_closed', text: 'B closed', payload: {} });
    // Telegram outage: A fails repeatedly, its retry backs off (up to 5 min in production).
    sender.failAlways(new TemporaryError('Telegram 502: Bad Gateway'));
    for (let i = 0; i < 6; i += 1) {
      const pass = await first.deliverDue();
      if (pass.blockedUntil !== undefined) clock.advanceTo(pass.blockedUntil);
    }
    await first.deliverDue(); // one more failure: A now waits 64 s
    sender.recover();

    // Process restarts (deploy / OOM) a few seconds later; Telegram is back.
    clock.advanceBy(5000);
    const second = new OutboxDelivery({ outbox, sender, clock, logger: new RecordingLogger(), minIntervalMs: 1000 });
    await second.deliverDue();

    expect(sender.delivered.map((m) => m.text)).not.toContain('B closed');
    expect(await outbox.backlog()).toBe(2);
  });
});
