// Three AI voices, and stretches in which some of them are down (503), slow past their timeout, or answer prose
// instead of a vote. With two voices left the daemon keeps trading; with one it holds; each outage is announced
// once (and its end once), not on every scan.
import type { Outage } from '../../test/peers/anthropic/scripted-llm-server.js';
import { runAudited } from '../support/final-audit.js';
import { formatDuration, type Scenario, type ScenarioContext, ScenarioReport, type ScenarioResult } from '../support/scenario.js';
import type { OutboxRow } from '../support/soak-database.js';
import { World } from '../support/world.js';

type Voice = 'claude' | 'deepseek' | 'grok';

interface OutageWindow {
  readonly voices: readonly Voice[];
  readonly outage: Outage;
  /** Simulated ms after the scenario's start. */
  readonly from: number;
  readonly to: number;
}

const SPEED = 60;
const START = new Date('2025-10-07T00:00:00Z');
const HOUR = 60 * 60_000;
const MINUTE = 60_000;
/** The daemon's AI_TIMEOUT_SECONDS in the soak is 3 s: a slow provider answers after twice that. */
const SLOW: Outage = { kind: 'slow', delayMs: 6_000 };
/**
 * Votes are cached for 5 minutes per closed candle, and a scan that started before the outage may still act on what
 * it heard: an entry in the first 15 simulated minutes of an outage is not held against the daemon.
 */
const SETTLE_SIM_MS = 15 * MINUTE;

function schedule(quick: boolean): OutageWindow[] {
  const length = quick ? 45 * MINUTE : 2 * HOUR;
  const gap = quick ? 30 * MINUTE : HOUR;
  const plan: { voices: Voice[]; outage: Outage }[] = quick
    ? [
        { voices: ['claude'], outage: { kind: 'down' } },
        { voices: ['claude', 'deepseek'], outage: { kind: 'down' } },
      ]
    : [
        { voices: ['claude'], outage: { kind: 'down' } },
        { voices: ['deepseek'], outage: SLOW },
        { voices: ['grok'], outage: { kind: 'garbage' } },
        { voices: ['claude', 'deepseek'], outage: { kind: 'down' } },
        { voices: ['deepseek', 'grok'], outage: SLOW },
      ];
  return plan.map((step, i) => ({ ...step, from: gap + i * (length + gap), to: gap + i * (length + gap) + length }));
}

function describe(window: OutageWindow): string {
  const what = window.outage.kind === 'down' ? 'down (503)' : window.outage.kind === 'slow' ? `slow (answers after ${window.outage.delayMs / 1000} s, past the 3 s timeout)` : 'answering prose instead of a vote';
  return `${window.voices.join(' and ')} ${what} for ${formatDuration(window.to - window.from)}`;
}

interface Alert {
  readonly at: number;
  readonly incident: string;
  readonly cleared: boolean;
}

function alertsOf(rows: readonly OutboxRow[]): Alert[] {
  return rows
    .filter((row) => row.eventType === 'alert')
    .map((row) => {
      const payload = row.payload as { incident?: string; cleared?: boolean };
      return { at: row.createdAt.getTime(), incident: String(payload.incident), cleared: payload.cleared === true };
    });
}

export const providerFaults: Scenario = {
  name: 'provider-faults',
  title: 'AI provider faults (down, slow, garbage)',
  quick: false,
  async run(context: ScenarioContext): Promise<ScenarioResult> {
    const report = new ScenarioReport(this.name, this.title, context.log);
    const world = await World.create({ dir: context.dir, start: START, speed: SPEED });
    const servers = { claude: world.claude, deepseek: world.deepseek, grok: world.grok };
    const windows = schedule(context.quick);
    return runAudited(world, report, { mustStayUp: true, notifications: 'strict' }, async () => {
      if (!(await world.startDaemon())) throw new Error(`the daemon did not start: ${world.daemon.stderr.slice(-500)}`);
      const t0 = world.simNow();
      for (const window of windows) {
        await world.untilSim(t0 + window.from, { whileAlive: true });
        for (const voice of window.voices) servers[voice].setOutage(window.outage);
        context.log(`  ${describe(window)}`);
        await world.untilSim(t0 + window.to, { whileAlive: true });
        for (const voice of window.voices) servers[voice].setOutage(undefined);
      }
      // The last outage's end must be seen (and announced) too.
      await world.untilSim(t0 + (windows[windows.length - 1]?.to ?? 0) + (context.quick ? 30 : 60) * MINUTE, { whileAlive: true });
      report.simulatedMs = world.simNow() - START.getTime();
      for (const window of windows) report.inject(describe(window), window.voices.length);

      const rows = await world.database.outbox();
      const alerts = alertsOf(rows);
      const entries = world.venue.book.orders.filter((order) => order.clientOrderId.endsWith('-entry')).map((order) => order.time);
      for (const window of windows) {
        const from = t0 + window.from;
        const to = t0 + window.to;
        const entered = entries.filter((time) => time >= from + SETTLE_SIM_MS && time < to).length;
        const label = describe(window);
        if (window.voices.length === 1) {
          report.check(`trading went on: ${label}`, entered > 0, `${entered} entries while two voices answered`);
        } else {
          report.check(`held: ${label}`, entered === 0, `${entered} entries after the first ${SETTLE_SIM_MS / MINUTE} simulated minutes`);
        }
        // An outage is announced after a scan sees it, and its end after a scan sees the voice again.
        const inWindow = (alert: Alert): boolean => alert.at >= from && alert.at < to + 30 * MINUTE;
        for (const voice of window.voices) {
          const raised = alerts.filter((a) => inWindow(a) && a.incident === `analyst:${voice}` && !a.cleared).length;
          const cleared = alerts.filter((a) => inWindow(a) && a.incident === `analyst:${voice}` && a.cleared).length;
          report.check(`one alert for ${voice} (${window.outage.kind})`, raised === 1 && cleared === 1, `${raised} alert(s) raised and ${cleared} all-clear(s) for this outage`);
        }
        const quorum = alerts.filter((a) => inWindow(a) && a.incident === 'analysts:quorum' && !a.cleared).length;
        const expected = window.voices.length >= 2 ? 1 : 0;
        report.check(`${expected === 1 ? 'one' : 'no'} quorum alert: ${label}`, quorum === expected, `${quorum} "holding, no new trades" alert(s)`);
      }
      report.figure('entries in the whole run', entries.length);
      report.figure('AI requests (claude / deepseek / grok)', `${world.claude.requests.length} / ${world.deepseek.requests.length} / ${world.grok.requests.length}`);
    });
  },
};
