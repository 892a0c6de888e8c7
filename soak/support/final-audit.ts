// The checks every scenario ends with, once the daemon has had a moment to book its latest closes and deliver its
// latest messages: it stayed up, no position went unprotected, nothing was ordered twice, and nothing was lost.
import { type LedgerAudit, auditLedger, describeEpisode } from './ledger-audit.js';
import { type NotificationAudit, auditNotifications } from './notification-audit.js';
import { formatDuration, type ScenarioReport, type ScenarioResult } from './scenario.js';
import { pause } from './wait.js';
import { ORDER_PREFIX, type SoakVenue, type World } from './world.js';

export interface FinalAuditOptions {
  /** Any exit the harness did not cause is a failure (the daemon must ride out the faults). */
  readonly mustStayUp: boolean;
  /** strict: every message once and in order; tolerant: a message repeated after a kill -9 is reported, not failed. */
  readonly notifications: 'strict' | 'tolerant';
  /** Real ms to wait for the last closes to be booked and the last messages delivered. */
  readonly drainLimitMs?: number;
}

/** Closed this recently (simulated ms), a position may still be waiting for the daemon's next check. */
const BOOKING_GRACE_SIM_MS = 3 * 60_000;

function outstanding(ledger: LedgerAudit, notifications: NotificationAudit, now: number): number {
  const late = notifications.undelivered.filter((row) => now - row.createdAt.getTime() > BOOKING_GRACE_SIM_MS).length;
  return ledger.missingTrades.length + ledger.pending + late;
}

/** Waits (bounded) until every close is booked and every message delivered, or nothing changes any more. */
export async function drain(world: World<SoakVenue>, limitMs: number): Promise<{ ledger: LedgerAudit; notifications: NotificationAudit }> {
  const deadline = performance.now() + limitMs;
  for (;;) {
    const ledger = await auditLedger(world.venue, world.database, ORDER_PREFIX, BOOKING_GRACE_SIM_MS);
    const notifications = await auditNotifications(world.database, world.telegram);
    if (outstanding(ledger, notifications, world.simNow()) === 0 || performance.now() > deadline) return { ledger, notifications };
    await pause(250);
  }
}

export async function finalAudit(world: World<SoakVenue>, report: ScenarioReport, options: FinalAuditOptions): Promise<void> {
  const { ledger, notifications } = await drain(world, options.drainLimitMs ?? 30_000);
  const protection = world.protection.summary();
  const ours = ledger.episodes.filter((episode) => episode.positionId !== undefined);
  report.tally.positionsOpened += ours.length;

  if (options.mustStayUp) {
    const exits = world.daemon.unexpectedExits();
    report.check(
      'the daemon kept running',
      exits.length === 0,
      exits.length === 0 ? `one process throughout (${world.daemon.runs} start${world.daemon.runs === 1 ? '' : 's'})` : `exited on its own: ${exits.map((e) => `code ${e.code}`).join(', ')}`,
    );
  }
  report.tally.unprotected += protection.violations.length;
  report.check(
    'every position had its stop',
    protection.violations.length === 0,
    `${protection.positionsSeen} positions watched in ${protection.samples.toLocaleString('en-US')} samples; longest gap while running ${formatDuration(protection.longestRunningMs)}` +
      (protection.violations.length > 0 ? `; ${protection.violations.length} gap(s) past the grace: ${protection.violations.map((v) => `${v.symbol} ${formatDuration(v.runningMs)} (from ${new Date(v.simFrom).toISOString()} simulated)`).join(', ')}` : ''),
  );
  const duplicates = ledger.doubleEntries.length + ledger.reusedClientIds.length + protection.doubleStops;
  report.tally.duplicates += duplicates;
  report.check(
    'no duplicate orders',
    duplicates === 0,
    duplicates === 0
      ? `${ours.length} entries, each filled once under its own client id, never two stops on one position`
      : `${ledger.doubleEntries.length} double entr(ies) ${ledger.doubleEntries.map(describeEpisode).join('; ')}, client ids filled twice: ${ledger.reusedClientIds.join(', ') || 'none'}, positions with two stops: ${protection.doubleStops} ${protection.doubleStopDetails.join('; ')}`,
  );
  const lostTrades = ledger.missingTrades.length + ledger.mismatchedTrades.length;
  report.tally.lostRecords += lostTrades;
  report.check(
    'every close booked with the venue\'s fills',
    lostTrades === 0,
    lostTrades === 0
      ? `${ledger.closed} closes on the venue, each with its trade row and exactly the venue's fills${ledger.pending > 0 ? ` (${ledger.pending} closed in the last minutes, not yet due)` : ''}`
      : `${ledger.missingTrades.length} without a trade row (${ledger.missingTrades.map(describeEpisode).join('; ')}), ${ledger.mismatchedTrades.length} with other fills than the venue's (${ledger.mismatchedTrades.map((m) => `${describeEpisode(m.episode)}: booked ${m.trade.fillIds.length} fill(s), venue ${m.episode.tradeIds.length}`).join('; ')})`,
  );
  if (ledger.foreignEpisodes > 0) report.figure('positions not opened by the daemon', ledger.foreignEpisodes);
  // Messages are judged after a clean stop: the daemon delivers what its outbox still holds on the way out, and
  // messages written in the last seconds would otherwise count as lost when they are only queued.
  let delivered = notifications;
  if (world.daemon.alive) {
    const exit = await world.stopDaemon();
    report.check('stopped cleanly on SIGTERM', exit?.code === 0, `exit code ${exit?.code ?? 'none'}${exit?.signal ? ` (${exit.signal})` : ''}`);
    delivered = await auditNotifications(world.database, world.telegram);
  }
  auditMessages(world, report, delivered, options.notifications);
  report.figure('positions opened / closed', `${ours.length} / ${ledger.closed}`);
  report.figure('requests to the venue', world.venue.requests.length);
  report.figure('daemon log warnings / errors', `${world.daemon.count(40) - world.daemon.count(50)} / ${world.daemon.count(50)}`);
}

function auditMessages(world: World<SoakVenue>, report: ScenarioReport, audit: NotificationAudit, mode: 'strict' | 'tolerant'): void {
  const now = world.simNow();
  const late = audit.undelivered.filter((row) => now - row.createdAt.getTime() > BOOKING_GRACE_SIM_MS);
  const lost = late.length + audit.missing.length + audit.unannounced.length;
  report.tally.lostRecords += lost;
  const repeatsCount = mode === 'strict' ? audit.repeated.length : 0;
  report.tally.duplicates += repeatsCount;
  const ok = lost === 0 && repeatsCount === 0 && (mode === 'tolerant' || audit.outOfOrder === 0);
  report.check(
    mode === 'strict' ? 'every message reached Telegram once, in order' : 'every message reached Telegram',
    ok,
    `${audit.delivered} of ${audit.outboxRows} outbox messages delivered` +
      (late.length > 0 ? `; ${late.length} never delivered` : '') +
      (audit.undelivered.length > late.length ? ` (${audit.undelivered.length - late.length} written in the last minutes, still queued for the next start)` : '') +
      (audit.missing.length > 0 ? `; ${audit.missing.length} marked delivered but never received` : '') +
      (audit.unannounced.length > 0 ? `; trades without a "closed" message: ${audit.unannounced.join(', ')}` : '') +
      `; ${audit.repeated.length} received twice; ${audit.outOfOrder} out of order`,
  );
  if (audit.openedUnannounced.length > 0) report.figure('trades without a "position opened" message', audit.openedUnannounced.length);
  if (mode === 'tolerant' && audit.repeated.length > 0) report.figure('messages sent again after a kill (at-least-once delivery)', audit.repeated.length);
}

/**
 * A scenario's body in its world, then the final audit. A harness failure becomes the scenario's failure rather
 * than the run's, and the world (daemon, servers, database) is closed whatever happened.
 */
export async function runAudited(world: World<SoakVenue>, report: ScenarioReport, audit: FinalAuditOptions, body: () => Promise<void>): Promise<ScenarioResult> {
  try {
    await body();
    report.figure('simulated time', formatDuration(report.simulatedMs));
    await finalAudit(world, report, audit);
  } catch (error) {
    report.fail(error);
  } finally {
    await world.close();
  }
  return report.result();
}
