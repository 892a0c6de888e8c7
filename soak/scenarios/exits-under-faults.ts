// The venue exits under exchange faults: the take-profit ladder, the final target and the trailing stop that moves the
// venue stop are on, while a fifth of all requests to the venue fail at random. Every stop replacement (a trailing
// move, a re-arm after a partial fill) must place and verify the new stop before the old one goes, so the protection
// monitor must see no moment of open quantity without a stop, and no old stop left resting beside its replacement.
import { RANDOM_FAULT_KINDS } from '../../test/peers/binance-usdm/index.js';
import { runAudited } from '../support/final-audit.js';
import { formatDuration, type Scenario, type ScenarioContext, ScenarioReport, type ScenarioResult } from '../support/scenario.js';
import { pause } from '../support/wait.js';
import { World } from '../support/world.js';

const SPEED = 60;
const START = new Date('2025-10-05T00:00:00Z');
const FAULT_RATE = 0.2;
/** ccxt gives up on a request after 10 s; a held answer must outlast that to be a timeout. */
const HOLD_MS = 11_000;
const HOUR = 60 * 60_000;

/**
 * On the soak's positions (about 12,500 USDT notional), a $60 minimum puts the daemon's own take-profit (twice the
 * minimum) near 1.06% and the minimum-profit price near 0.58%: a 75% step at 0.8% books the minimum on its own before
 * that. Positions are held up to a day (the soak's default is an hour) so that steps and trails have time to act.
 */
const EXITS_ENV = {
  MIN_PROFIT_USD: '60',
  MAX_HOLDING_HOURS: '24',
  TAKE_PROFIT_LADDER: '0.75@0.8%',
  TAKE_PROFIT_BREAK_EVEN: 'true',
  TAKE_PROFIT_ON_EXCHANGE: 'true',
  TRAILING_STOP_PERCENT: '0.005',
  TRAILING_ACTIVATION_PERCENT: '0.005',
  TRAILING_MIN_INTERVAL_SECONDS: '30',
};

export const exitsUnderFaults: Scenario = {
  name: 'exits-under-faults',
  title: 'Ladder and trailing stop under exchange faults (20% of requests fail)',
  quick: true,
  async run(context: ScenarioContext): Promise<ScenarioResult> {
    const report = new ScenarioReport(this.name, this.title, context.log);
    const duration = context.quick ? HOUR / 2 : 12 * HOUR;
    const world = await World.create({ dir: context.dir, start: START, speed: SPEED, env: EXITS_ENV });
    return runAudited(world, report, { mustStayUp: true, notifications: 'strict' }, async () => {
      if (!(await world.startDaemon())) throw new Error(`the daemon did not start: ${world.daemon.stderr.slice(-500)}`);
      const from = world.simNow();
      const requestsBefore = world.venue.requests.length;
      world.venue.randomFaults({ rate: FAULT_RATE, seed: context.seed, holdMs: HOLD_MS });
      await world.untilSim(from + duration, { whileAlive: true });
      world.venue.randomFaults(undefined);
      const requests = world.venue.requests.length - requestsBefore;
      await pause(HOLD_MS);
      report.simulatedMs = world.simNow() - START.getTime();
      const injected = world.venue.injectedFaults;
      const byKind = RANDOM_FAULT_KINDS.map((kind) => `${injected.filter((f) => f.kind === kind).length} ${kind.replace('_', ' ')}`).join(', ');
      report.inject(`${formatDuration(duration)} simulated with ${FAULT_RATE * 100}% of ${requests.toLocaleString('en-US')} requests failing at random: ${byKind}`, injected.length);
      const algos = world.venue.book.algoOrders;
      const replacements = algos.filter((a) => /-stop\.\d+$/.test(a.clientAlgoId)).length;
      const steps = algos.filter((a) => /-tp\d+(\.\d+)?$/.test(a.clientAlgoId));
      report.figure('stop replacements placed (trailing moves and re-arms)', replacements);
      report.figure('ladder steps placed / filled', `${steps.length} / ${steps.filter((a) => a.algoStatus === 'FINISHED').length}`);
    });
  },
};
