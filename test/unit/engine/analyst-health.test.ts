import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { AnalystHealth } from '../../../src/engine/analyst-health.js';
import { FLAPPING_QUIET_MS, IncidentTracker } from '../../../src/engine/incidents.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { RecordingNotifier } from '../../../src/testing/recording-notifier.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';

function panel() {
  const notifier = new RecordingNotifier();
  const clock = new ManualClock(new Date('2025-10-07T00:00:00Z'));
  const incidents = new IncidentTracker(clock, notifier, new RecordingLogger(), new InMemoryStore().state);
  const health = new AnalystHealth(['deepseek', 'claude', 'grok'], incidents);
  const alerts = () => notifier.ofType('alert').map((alert) => `${alert.incident}:${alert.cleared ? 'cleared' : 'raised'}`);
  /** An outage's all-clear waits until the analyst has been heard from without a fault for the quiet period. */
  const pastQuietPeriod = () => clock.advanceTo(new Date(clock.now().getTime() + FLAPPING_QUIET_MS));
  return { health, alerts, notifier, pastQuietPeriod };
}

const fresh = { cached: false };
const failed = { outcome: 'failed', reason: 'HTTP 503', usage: fresh } as const;
const valid = { outcome: 'valid', usage: fresh } as const;

describe('analyst health', () => {
  it('when an analyst fails and answers by turns, then it is one outage, cleared only after the quiet period without a fault', async () => {
    const { health, alerts, pastQuietPeriod } = panel();
    await health.heard('claude', [failed]);
    await health.heard('claude', [valid]);
    await health.heard('claude', [failed]);
    await health.heard('claude', [valid]);
    expect(alerts()).toEqual(['analyst:claude:raised']);
    pastQuietPeriod();
    await health.heard('claude', [valid]);
    expect(alerts()).toEqual(['analyst:claude:raised', 'analyst:claude:cleared']);
  });

  it('when an analyst in an outage is not asked, then its outage is not declared over', async () => {
    const { health, alerts, pastQuietPeriod } = panel();
    await health.heard('claude', [failed, failed]);
    pastQuietPeriod();
    await health.heard('claude', []);
    await health.watchQuorum();
    expect(alerts()).toEqual(['analyst:claude:raised']);
    await health.heard('claude', [valid]);
    expect(alerts()).toEqual(['analyst:claude:raised', 'analyst:claude:cleared']);
  });

  it('when the only usable answer came from the vote cache, then the outage is not declared over', async () => {
    const { health, alerts } = panel();
    await health.heard('claude', [failed]);
    await health.heard('claude', [{ outcome: 'valid', usage: { cached: true } }, failed]);
    expect(alerts()).toEqual(['analyst:claude:raised']);
  });

  it('when answers arrive but none is usable, then the alert says it answers uselessly rather than not at all', async () => {
    const { health, notifier } = panel();
    await health.heard('grok', [{ outcome: 'rejected', reason: 'no JSON object in the answer', usage: fresh }, failed]);
    expect(notifier.ofType('alert')[0]?.message).toBe('Analyst grok answers, but nothing it says can be used (no JSON object in the answer).');
  });

  it('when fewer than two answer, then the quorum alert says what the panel does: no trade until another one answers', async () => {
    const { health, notifier } = panel();
    await health.heard('claude', [failed]);
    await health.heard('deepseek', [failed]);
    await health.watchQuorum();
    // Nothing stops the daemon on this alert; the consensus refuses one voice, which is what the words must say.
    expect(notifier.ofType('alert').find((alert) => alert.incident === 'analysts:quorum')?.message).toBe(
      'Only 1 analyst(s) answering: a trade needs two that agree, so no new trades until another one answers again.',
    );
  });

  it('when two of three are down, then one quorum alert, and its all-clear once one of them answers', async () => {
    const { health, alerts, pastQuietPeriod } = panel();
    await health.heard('claude', [failed]);
    await health.heard('deepseek', [failed]);
    await health.watchQuorum();
    await health.heard('deepseek', [failed]);
    await health.watchQuorum();
    pastQuietPeriod();
    await health.heard('claude', [valid]);
    await health.watchQuorum();
    expect(alerts()).toEqual(['analyst:claude:raised', 'analyst:deepseek:raised', 'analysts:quorum:raised', 'analyst:claude:cleared', 'analysts:quorum:cleared']);
  });
});
