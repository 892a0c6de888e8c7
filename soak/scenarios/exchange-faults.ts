// A simulated day in which a fifth of all requests to the venue fail at random (429, 418, 500, 503, an answer held
// past the client's timeout, the connection dropped before or after the venue acted) and the price streams are cut
// now and then. The daemon must keep running, keep every position protected and never order anything twice.
import { RANDOM_FAULT_KINDS, seededRandom } from '../../test/peers/venue-faults/random-faults.js';
import { runAudited } from '../support/final-audit.js';
import { formatDuration, type Scenario, type ScenarioContext, ScenarioReport, type ScenarioResult } from '../support/scenario.js';
import { pause } from '../support/wait.js';
import { type SoakVenueId, World } from '../support/world.js';

const SPEED = 60;
const START = new Date('2025-10-05T00:00:00Z');
const FAULT_RATE = 0.2;
/** ccxt gives up on a request after 10 s; a held answer must outlast that to be a timeout. */
const HOLD_MS = 11_000;
const HOUR = 60 * 60_000;

export interface ExchangeFaultsOptions {
  readonly name: string;
  readonly title: string;
  readonly venue: SoakVenueId;
  /** Simulated ms of faults in the quick and in the full form. */
  readonly quickMs: number;
  readonly fullMs: number;
}

/** The scenario on one venue's stand-in; the refusals are in that venue's words. */
export function exchangeFaultsOn(options: ExchangeFaultsOptions): Scenario {
  return { name: options.name, title: options.title, quick: true, run: (context) => runExchangeFaults(context, options) };
}

export const exchangeFaults: Scenario = exchangeFaultsOn({
  name: 'exchange-faults',
  title: 'Exchange faults (20% of requests fail)',
  venue: 'binanceusdm',
  quickMs: HOUR / 2,
  fullMs: 24 * HOUR,
});

async function runExchangeFaults(context: ScenarioContext, options: ExchangeFaultsOptions): Promise<ScenarioResult> {
  const report = new ScenarioReport(options.name, options.title, context.log);
  const random = seededRandom(context.seed);
  const duration = context.quick ? options.quickMs : options.fullMs;
  const world = await World.create({ dir: context.dir, start: START, speed: SPEED, venue: options.venue });
  return runAudited(world, report, { mustStayUp: true, notifications: 'strict' }, async () => {
    if (!(await world.startDaemon())) throw new Error(`the daemon did not start: ${world.daemon.stderr.slice(-500)}`);
    const from = world.simNow();
    const requestsBefore = world.venue.requests.length;
    world.venue.randomFaults({ rate: FAULT_RATE, seed: context.seed, holdMs: HOLD_MS });
    let disconnects = 0;
    const end = from + duration;
    while (world.simNow() < end && world.daemon.alive) {
      // Stream cuts every 10 to 40 simulated minutes, as a venue's maintenance or a network blip does.
      const next = Math.min(end, world.simNow() + (10 + random() * 30) * 60_000);
      await world.untilSim(next, { whileAlive: true });
      if (world.simNow() < end && world.daemon.alive) {
        world.venue.disconnectWebSockets();
        disconnects += 1;
      }
      if (!context.quick && disconnects % 12 === 0) context.log(`  ${formatDuration(world.simNow() - from)} simulated, ${world.venue.injectedFaults.length} faults so far`);
    }
    world.venue.randomFaults(undefined);
    // The share is of the requests made while faults were drawn; the burst of catching up afterwards is not part of it.
    const requests = world.venue.requests.length - requestsBefore;
    // Held answers still in flight settle before the books are compared.
    await pause(HOLD_MS);
    report.simulatedMs = world.simNow() - START.getTime();
    const injected = world.venue.injectedFaults;
    const byKind = RANDOM_FAULT_KINDS.map((kind) => `${injected.filter((f) => f.kind === kind).length} ${kind.replace('_', ' ')}`).join(', ');
    report.inject(
      `${formatDuration(duration)} simulated with ${FAULT_RATE * 100}% of ${requests.toLocaleString('en-US')} requests failing at random: ${byKind}; held answers kept ${HOLD_MS / 1000} s (past the client's 10 s timeout)`,
      injected.length,
    );
    // Bybit's stand-in serves only the private order stream (prices are polled): that is the stream cut there.
    report.inject(`${disconnects} ${world.venueId === 'bybit' ? 'order-stream' : 'price-stream'} disconnects, every 10 to 40 simulated minutes`, disconnects);
    report.figure('requests that failed', `${injected.length.toLocaleString('en-US')} of ${requests.toLocaleString('en-US')} (${((injected.length / Math.max(1, requests)) * 100).toFixed(1)}%)`);
    const orderFaults = injected.filter((f) => f.method !== 'GET').length;
    report.figure('of them on orders, cancels, leverage and margin', orderFaults);
    // Flapping faults make one incident each: an alert, and an all-clear once the fault has stayed away a while.
    const alerts = (await world.database.outbox()).filter((row) => row.eventType === 'alert');
    const raised = alerts.filter((row) => (row.payload as { cleared?: boolean }).cleared !== true).length;
    report.figure('alerts raised / all-clears sent', `${raised} / ${alerts.length - raised}`);
  });
}
