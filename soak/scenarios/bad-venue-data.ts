// The venue answering with missing fields or non-finite numbers while the daemon trades: for a stretch, every
// ticker lacks its last price (and the change ccxt would rebuild it from), every mark price is NaN, every position
// report lacks its size, or the candles carry a NaN close; and one entry order comes back with a NaN average
// price. The daemon must say which field is wrong and never act (enter, close, cancel a stop) on the bad value.
import { join } from 'node:path';
import type { LogLine } from '../support/daemon-process.js';
import { finalAudit } from '../support/final-audit.js';
import { formatDuration, type ScenarioContext, type ScenarioReport } from '../support/scenario.js';
import { SOAK_STOP_LOSS_PCT } from '../support/soak-answers.js';
import { waitUntil, WaitTimeout } from '../support/wait.js';
import { World } from '../support/world.js';

const SPEED = 60;
const START = new Date('2025-10-14T00:00:00Z');
const MINUTE = 60_000;
/** A scan or a check that began before the bad data may still finish on good data. */
const SETTLE_SIM_MS = 3 * MINUTE;

type Json = Record<string, unknown>;

interface BadWindow {
  readonly what: string;
  readonly path: string;
  readonly rewrite: (body: unknown) => unknown;
  /** What the daemon's error must mention. */
  readonly field: RegExp;
  /** What must not happen while the data is bad. */
  readonly forbidden: readonly Action[];
}

type Action = 'entries' | 'closes' | 'stop cancels';

const eachObject = (body: unknown, change: (item: Json) => Json): unknown => (Array.isArray(body) ? body.map((item) => change(item as Json)) : change(body as Json));
const without = (item: Json, field: string): Json => Object.fromEntries(Object.entries(item).filter(([key]) => key !== field));

const WINDOWS: readonly BadWindow[] = [
  {
    what: 'every ticker without its last price',
    path: '/fapi/v1/ticker/24hr',
    rewrite: (b) => eachObject(b, (t) => without(without(without(t, 'lastPrice'), 'priceChange'), 'priceChangePercent')),
    field: /ticker \S+\.last is not a finite number \(missing\)/,
    forbidden: ['entries'],
  },
  { what: 'every mark price "NaN"', path: '/fapi/v1/premiumIndex', rewrite: (b) => eachObject(b, (p) => ({ ...p, markPrice: 'NaN' })), field: /markPrice \S+\.markPrice is not a finite number/, forbidden: ['entries'] },
  {
    what: 'every position report without its size (positionAmt)',
    path: '/fapi/v3/positionRisk',
    rewrite: (b) => eachObject(b, (p) => without(p, 'positionAmt')),
    field: /position \S+\.contracts is not a finite number/,
    forbidden: ['closes', 'stop cancels'],
  },
  {
    what: 'candles with a NaN close',
    path: '/fapi/v1/klines',
    rewrite: (b) => (b as unknown[][]).map((row, i, rows) => (i === rows.length - 2 ? [...row.slice(0, 4), 'NaN', ...row.slice(5)] : row)),
    field: /candles \S+ \S+\[\d+\]\.close is not a finite number/,
    forbidden: ['entries'],
  },
];

function actionsBetween(world: World, action: Action, from: number, to: number): number {
  if (action === 'stop cancels') return world.venue.book.algoOrders.filter((algo) => algo.algoStatus === 'CANCELED' && algo.updateTime >= from && algo.updateTime < to).length;
  const suffix = action === 'entries' ? '-entry' : '-close';
  return world.venue.book.orders.filter((order) => order.clientOrderId.endsWith(suffix) && order.time >= from && order.time < to).length;
}

/** Arms a NaN average price on the answer to the next entry order; resolves with its client id. */
async function nanFill(world: World): Promise<string | undefined> {
  let hit: string | undefined;
  const remove = world.venue.onRequest((request) => {
    const id = request.params['newClientOrderId'] ?? '';
    if (hit !== undefined || request.method !== 'POST' || request.path !== '/fapi/v1/order' || !id.endsWith('-entry')) return undefined;
    hit = id;
    world.venue.rewriteNext({ path: '/fapi/v1/order', method: 'POST', rewrite: (b) => ({ ...(b as Json), avgPrice: 'NaN' }) });
    return undefined;
  });
  try {
    await waitUntil(() => hit !== undefined, 'an entry order', 120_000);
  } catch (error) {
    if (!(error instanceof WaitTimeout)) throw error;
  } finally {
    remove();
  }
  return hit;
}

export async function checkBadVenueData(report: ScenarioReport, context: ScenarioContext): Promise<void> {
  const world = await World.create({ dir: join(context.dir, 'venue'), start: START, speed: SPEED });
  const complaints: string[] = [];
  world.daemon.onLine((line: LogLine) => {
    if (line.level >= 40) complaints.push(`${line.msg} ${typeof line['error'] === 'string' ? line['error'] : ''}`);
  });
  const length = (context.quick ? 10 : 20) * MINUTE;
  const between = (context.quick ? 5 : 10) * MINUTE;
  try {
    if (!(await world.startDaemon())) throw new Error(`the daemon did not start: ${world.daemon.stderr.slice(-500)}`);
    await world.untilSim(world.simNow() + between, { whileAlive: true });
    for (const window of context.quick ? WINDOWS.slice(0, 1) : WINDOWS) {
      const from = world.simNow();
      const heard = complaints.length;
      world.venue.rewriteNext({ path: window.path, method: 'GET', count: Number.MAX_SAFE_INTEGER, rewrite: window.rewrite });
      await world.untilSim(from + length, { whileAlive: true });
      world.venue.clearFaults();
      const to = world.simNow();
      report.inject(`${window.what} for ${formatDuration(length)} simulated (GET ${window.path})`, 1);
      const named = complaints.slice(heard).some((text) => window.field.test(text));
      const acted = window.forbidden.map((action) => [action, actionsBetween(world, action, from + SETTLE_SIM_MS, to)] as const);
      const none = acted.every(([, n]) => n === 0);
      report.check(
        `no ${window.forbidden.join(' or ')} on ${window.what}, and the field named`,
        none && named,
        `${acted.map(([action, n]) => `${n} ${action}`).join(', ')} while the data was bad; the daemon's errors ${named ? 'name' : 'do NOT name'} the field (${window.field.source})`,
      );
      await world.untilSim(world.simNow() + between, { whileAlive: true });
    }

    const entry = await nanFill(world);
    report.inject(`an entry order answered with avgPrice "NaN" (${entry ?? 'no entry came'})`, entry ? 1 : 0);
    if (entry) {
      const stopId = entry.replace(/-entry$/, '-stop');
      await waitUntil(() => world.venue.book.algoOrders.some((algo) => algo.clientAlgoId === stopId) || !world.daemon.alive, 'its stop', 30_000).catch(() => undefined);
      const fill = world.venue.book.orders.find((order) => order.clientOrderId === entry);
      const stop = world.venue.book.algoOrders.find((algo) => algo.clientAlgoId === stopId);
      const expected = fill ? fill.avgPrice * (fill.side === 'BUY' ? 1 - SOAK_STOP_LOSS_PCT : 1 + SOAK_STOP_LOSS_PCT) : NaN;
      const off = stop && fill ? Math.abs(stop.triggerPrice - expected) / expected : Infinity;
      report.check(
        'a NaN fill price did not become the stop',
        off < 0.002,
        stop && fill ? `filled at ${fill.avgPrice}, stop at ${stop.triggerPrice} (${(off * 100).toFixed(3)}% from ${SOAK_STOP_LOSS_PCT * 100}% off the real fill)` : 'no stop was placed',
      );
    }
    report.simulatedMs += world.simNow() - START.getTime();
    await finalAudit(world, report, { mustStayUp: true, notifications: 'strict' });
  } finally {
    await world.close();
  }
}
