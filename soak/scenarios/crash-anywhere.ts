// kill -9 at many moments: right as an entry, a stop or a close reaches the venue (delivered, or the connection
// dropped before the venue acted on it) and at random instants (scanning, monitoring, between steps). After each
// restart, once the daemon has reconciled: every venue position has exactly one stop of ours, no position was
// opened twice, and every position that closed is booked with the venue's fills.
import { seededRandom } from '../../test/peers/venue-faults/random-faults.js';
import { runAudited } from '../support/final-audit.js';
import { auditLedger, describeEpisode } from '../support/ledger-audit.js';
import { formatDuration, type Scenario, type ScenarioContext, ScenarioReport, type ScenarioResult } from '../support/scenario.js';
import { pause, waitUntil, WaitTimeout } from '../support/wait.js';
import { ORDER_PREFIX, type OrderRequest, type SoakVenue, type SoakVenueId, World } from '../support/world.js';

type KillKind = 'entry' | 'stop' | 'close' | 'random';
type Delivery = 'delivered' | 'dropped';

interface KillPlan {
  readonly kind: KillKind;
  readonly delivery: Delivery;
}

interface CrashOutcome {
  readonly plan: KillPlan;
  /** What actually happened: the planned request, or a random kill when it did not come in time. */
  readonly happened: string;
  readonly restartMs: number;
  readonly problems: string[];
}

const SPEED = 60;
const START = new Date('2025-10-02T00:00:00Z');
/** Real ms to wait for the planned request before killing at random instead. */
const TRIGGER_LIMIT_MS = 90_000;
/** Positions that appear after the restart get this long (real ms) to receive their stop. */
const NEW_POSITION_GRACE_MS = 3_000;

/** Entry, stop and close kills (delivered and dropped) and random kills, interleaved. */
export function killPlans(count: number): KillPlan[] {
  return Array.from({ length: count }, (_, i) => KILL_CYCLE[i % KILL_CYCLE.length] as KillPlan);
}

const KILL_CYCLE: readonly KillPlan[] = [
    { kind: 'entry', delivery: 'delivered' },
    { kind: 'stop', delivery: 'delivered' },
    { kind: 'close', delivery: 'delivered' },
    { kind: 'random', delivery: 'delivered' },
    { kind: 'entry', delivery: 'dropped' },
    { kind: 'stop', delivery: 'dropped' },
    { kind: 'close', delivery: 'dropped' },
    { kind: 'random', delivery: 'delivered' },
];

function targets(kind: KillKind, order: OrderRequest): boolean {
  if (kind === 'entry') return !order.conditional && order.clientId.endsWith('-entry');
  if (kind === 'stop') return order.conditional && order.clientId.endsWith('-stop');
  if (kind === 'close') return !order.conditional && order.clientId.endsWith('-close');
  return false;
}

async function killOnce(world: World<SoakVenue>, plan: KillPlan, random: () => number): Promise<string> {
  if (plan.kind === 'random') {
    const delay = 200 + random() * 6_000;
    await pause(delay);
    world.killDaemonNow();
    await world.daemon.waitForExit();
    return `random instant (${formatDuration(delay)} after the restart)`;
  }
  let hit: string | undefined;
  const remove = world.onOrderRequest((order) => {
    if (hit !== undefined || !targets(plan.kind, order)) return undefined;
    hit = order.clientId;
    world.killDaemonNow();
    return plan.delivery === 'dropped' ? 'drop' : undefined;
  });
  try {
    await waitUntil(() => hit !== undefined || !world.daemon.alive, `a ${plan.kind} order`, TRIGGER_LIMIT_MS, 10);
  } catch (error) {
    if (!(error instanceof WaitTimeout)) throw error;
  } finally {
    remove();
  }
  if (hit === undefined && world.daemon.alive) {
    world.killDaemonNow();
    await world.daemon.waitForExit();
    return `random instant (no ${plan.kind} order came within ${formatDuration(TRIGGER_LIMIT_MS)})`;
  }
  await world.daemon.waitForExit();
  return hit === undefined ? 'the daemon exited on its own' : `${plan.kind} order ${hit} ${plan.delivery === 'dropped' ? 'dropped before the venue saw it' : 'delivered'}`;
}

/** Right after the restart (reconciled): the three promises of the scenario. */
async function checkAfterRestart(world: World<SoakVenue>, restartedAt: number): Promise<string[]> {
  const problems: string[] = [];
  for (const position of world.venue.book.openPositions()) {
    let stops = world.protection.stopsFor(position.symbol);
    const isNew = position.updateTime >= restartedAt;
    if (stops === 0 && isNew) {
      await waitUntil(() => world.protection.stopsFor(position.symbol) > 0 || !world.venue.book.position(position.symbol), 'a stop', NEW_POSITION_GRACE_MS).catch(() => undefined);
      if (!world.venue.book.position(position.symbol)) continue;
      stops = world.protection.stopsFor(position.symbol);
    }
    if (stops !== 1) problems.push(`${position.symbol} has ${stops} stops of ours after the restart`);
  }
  // The daemon books at start-up what closed while it was down; a moment for the first check is allowed.
  let ledger = await auditLedger(world.venue, world.database, ORDER_PREFIX);
  if (ledger.missingTrades.length > 0) {
    await waitUntil(async () => (ledger = await auditLedger(world.venue, world.database, ORDER_PREFIX)).missingTrades.length === 0, 'bookings', 5_000).catch(
      () => undefined,
    );
  }
  for (const episode of ledger.missingTrades) problems.push(`closed but not booked: ${describeEpisode(episode)}`);
  for (const { episode } of ledger.mismatchedTrades) problems.push(`booked with other fills than the venue's: ${describeEpisode(episode)}`);
  for (const episode of ledger.doubleEntries) problems.push(`opened twice: ${describeEpisode(episode)}`);
  for (const id of ledger.reusedClientIds) problems.push(`client id ${id} filled twice`);
  return problems;
}

export interface CrashAnywhereOptions {
  readonly name: string;
  readonly title: string;
  readonly venue: SoakVenueId;
  /** The kills of the quick and of the full form. */
  readonly quickPlans: readonly KillPlan[];
  readonly fullKills: number;
}

/** The scenario on one venue's stand-in. */
export function crashAnywhereOn(options: CrashAnywhereOptions): Scenario {
  return {
    name: options.name,
    title: options.title,
    quick: true,
    run: (context) => runCrashAnywhere(context, options),
  };
}

export const crashAnywhere: Scenario = crashAnywhereOn({
  name: 'crash-anywhere',
  title: 'Crash anywhere (kill -9 and restart)',
  venue: 'binanceusdm',
  quickPlans: killPlans(5),
  fullKills: 50,
});

async function runCrashAnywhere(context: ScenarioContext, options: CrashAnywhereOptions): Promise<ScenarioResult> {
  const report = new ScenarioReport(options.name, options.title, context.log);
  const random = seededRandom(context.seed);
  const plans = context.quick ? options.quickPlans : killPlans(options.fullKills);
  const world = await World.create({ dir: context.dir, start: START, speed: SPEED, venue: options.venue });
  const outcomes: CrashOutcome[] = [];
  return runAudited(world, report, { mustStayUp: false, notifications: 'tolerant' }, async () => {
    if (!(await world.startDaemon())) throw new Error(`the daemon did not start: ${world.daemon.stderr.slice(-500)}`);
    for (const [index, plan] of plans.entries()) {
      const happened = await killOnce(world, plan, random);
      // Down for a moment: the market moves on, a stop may fire while nobody watches.
      await pause(random() * 2_000);
      const restartStarted = performance.now();
      const restartedAt = world.simNow();
      let up = await world.startDaemon();
      for (let attempt = 1; !up && attempt < 3; attempt += 1) up = await world.startDaemon();
      const restartMs = performance.now() - restartStarted;
      const problems = up ? await checkAfterRestart(world, restartedAt) : [`did not come back: ${world.daemon.stderr.slice(-300)}`];
      outcomes.push({ plan, happened, restartMs, problems });
      context.log(`  crash ${index + 1}/${plans.length}: ${happened}; back in ${formatDuration(restartMs)}${problems.length > 0 ? `; ${problems.join('; ')}` : ''}`);
      if (!up) break;
    }
    report.simulatedMs = world.simNow() - START.getTime();
    report.inject(`${outcomes.length} kill -9: ${summarizeKinds(outcomes)}; each followed by up to 2 s down and a restart`, outcomes.length);
    const failedRestarts = outcomes.filter((o) => o.problems.some((p) => p.startsWith('did not come back'))).length;
    report.check('every restart came back and reconciled', failedRestarts === 0, `${outcomes.length - failedRestarts} of ${outcomes.length} restarts announced themselves after reconciling`);
    const unprotected = outcomes.flatMap((o) => o.problems.filter((p) => p.includes('stops of ours')));
    report.tally.unprotected += unprotected.length;
    report.check('after each restart, one stop per position', unprotected.length === 0, unprotected.length === 0 ? `checked after all ${outcomes.length} restarts` : unprotected.join('; '));
    const other = outcomes.flatMap((o) => o.problems.filter((p) => !p.includes('stops of ours') && !p.startsWith('did not come back')));
    report.check('after each restart, no double entry and nothing unbooked', other.length === 0, other.length === 0 ? `checked after all ${outcomes.length} restarts` : [...new Set(other)].join('; '));
    const times = outcomes.map((o) => o.restartMs).sort((a, b) => a - b);
    report.figure('restart to reconciled (median / max)', `${formatDuration(times[Math.floor(times.length / 2)] ?? 0)} / ${formatDuration(times[times.length - 1] ?? 0)}`);
  });
}

function summarizeKinds(outcomes: readonly CrashOutcome[]): string {
  const counts = new Map<string, number>();
  for (const { happened } of outcomes) {
    const key = happened.startsWith('random') ? 'at random instants' : happened.replace(/ order \S+ /, ' order ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${n} ${key}`).join(', ');
}
