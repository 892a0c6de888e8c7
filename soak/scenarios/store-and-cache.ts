// Postgres "restarted" under the running daemon (every connection dropped, new ones refused for a while): once
// right as an entry order reaches the venue, once at a random moment; and Redis killed and started again later.
// The daemon must survive, reconnect, and lose no trade and no notification.
import { seededRandom } from '../../test/peers/binance-usdm/random-faults.js';
import { runAudited } from '../support/final-audit.js';
import type { LogLine } from '../support/daemon-process.js';
import { formatDuration, type Scenario, type ScenarioContext, ScenarioReport, type ScenarioResult } from '../support/scenario.js';
import { pause, waitUntil, WaitTimeout } from '../support/wait.js';
import { World } from '../support/world.js';

const SPEED = 60;
const START = new Date('2025-10-09T00:00:00Z');
const MINUTE = 60_000;

/** Messages the daemon logs when a notification could not be kept: each is a lost record. */
const LOST_NOTIFICATION = /notification dropped: the store has been failing too long|notifier closed with events never stored/;

export const storeAndCache: Scenario = {
  name: 'store-and-cache',
  title: 'Store and cache outages (Postgres connections cut, Redis killed)',
  quick: false,
  async run(context: ScenarioContext): Promise<ScenarioResult> {
    const report = new ScenarioReport(this.name, this.title, context.log);
    const random = seededRandom(context.seed);
    const outageMs = context.quick ? 4_000 : 10_000;
    const quiet = (context.quick ? 10 : 30) * MINUTE;
    const world = await World.create({ dir: context.dir, start: START, speed: SPEED });
    const lost: string[] = [];
    let redisBack = 0;
    let redisGone = 0;
    world.daemon.onLine((line: LogLine) => {
      if (LOST_NOTIFICATION.test(line.msg)) lost.push(line.msg);
      if (line.msg === 'redis is back, using it again') redisBack += 1;
      if (line.msg === 'redis unavailable, using in-process cache') redisGone += 1;
    });
    return runAudited(world, report, { mustStayUp: true, notifications: 'strict' }, async () => {
      if (!(await world.startDaemon())) throw new Error(`the daemon did not start: ${world.daemon.stderr.slice(-500)}`);
      await world.untilSim(world.simNow() + quiet, { whileAlive: true });

      // 1. Postgres goes away exactly as an entry order reaches the venue: the fill comes back to a daemon that
      // cannot write it down.
      let cutAt: string | undefined;
      const remove = world.venue.onRequest((request) => {
        const id = request.params['newClientOrderId'] ?? '';
        if (cutAt !== undefined || request.method !== 'POST' || request.path !== '/fapi/v1/order' || !id.endsWith('-entry')) return undefined;
        cutAt = id;
        void world.proxy.cut();
        return undefined;
      });
      try {
        await waitUntil(() => cutAt !== undefined, 'an entry order', 120_000);
      } catch (error) {
        if (!(error instanceof WaitTimeout)) throw error;
        cutAt = 'no entry came; cut at a random moment';
        await world.proxy.cut();
      } finally {
        remove();
      }
      const accepted1 = world.proxy.accepted;
      await pause(outageMs);
      await world.proxy.restore();
      report.inject(`Postgres cut for ${formatDuration(outageMs)} real (${formatDuration(outageMs * SPEED)} simulated) as entry ${cutAt} reached the venue`, 1);
      await world.untilSim(world.simNow() + quiet, { whileAlive: true });
      const reconnected1 = world.proxy.accepted > accepted1;

      // 2. Postgres goes away at a random moment.
      await pause(random() * 5_000);
      await world.proxy.cut();
      const accepted2 = world.proxy.accepted;
      await pause(outageMs);
      await world.proxy.restore();
      report.inject(`Postgres cut again for ${formatDuration(outageMs)} real at a random moment`, 1);
      await world.untilSim(world.simNow() + quiet, { whileAlive: true });
      const reconnected2 = world.proxy.accepted > accepted2;

      // 3. Redis dies, and comes back empty a while later.
      await world.redis.kill();
      await world.untilSim(world.simNow() + quiet, { whileAlive: true });
      await world.redis.restart();
      report.inject(`Redis killed (SIGKILL) for ${formatDuration(quiet)} simulated, then started again empty`, 1);
      await world.untilSim(world.simNow() + quiet, { whileAlive: true });
      report.simulatedMs = world.simNow() - START.getTime();

      report.check('reconnected to Postgres after each restart', reconnected1 && reconnected2, `new connections after the first outage: ${reconnected1 ? 'yes' : 'no'}, after the second: ${reconnected2 ? 'yes' : 'no'}`);
      // No cache call may fall inside the outage: then there is nothing to switch, and nothing to switch back.
      const backOnRedis = redisGone === 0 || redisBack > 0;
      report.check(
        'back on Redis once it returned',
        backOnRedis,
        redisGone === 0 ? 'no cache call fell inside the outage, so the daemon stayed on Redis' : redisBack > 0 ? 'the cache switched to in-process and logged its switch back to Redis' : 'the cache went in-process and never went back to Redis',
      );
      report.tally.lostRecords += lost.length;
      report.check('no notification given up', lost.length === 0, lost.length === 0 ? 'none dropped while the store was away' : lost.join('; '));
      report.figure('connections through the Postgres proxy', world.proxy.accepted);
    });
  },
};
