// Real venue behaviour that is not an error, at random moments against positions the daemon holds: the venue cancels
// or expires the stop, the owner moves the stop, closes or adds to the position by hand, the venue auto-deleverages or
// liquidates it, funding spikes to ±1% for an interval; and once a maintenance (every endpoint 503 for 30 simulated
// minutes, then -1021 for 5). The position check runs at its default (60 s), so the unprotected time after a stop
// vanishes is the bound the owner gets.
import type { BookOrder } from '../../test/peers/binance-usdm/account-book.js';
import { venueSymbol } from '../../test/peers/binance-usdm/venue-state.js';
import { seededRandom } from '../../test/peers/binance-usdm/random-faults.js';
import { runAudited } from '../support/final-audit.js';
import { formatDuration, type Scenario, type ScenarioContext, ScenarioReport, type ScenarioResult } from '../support/scenario.js';
import { ORDER_PREFIX, SOAK_SYMBOLS, World } from '../support/world.js';
import { checkBooks } from './owner-commands.js';

const START = new Date('2025-10-10T00:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const POSITION_CHECK_MS = 60_000;
/** One position check, then placing and verifying the stop: what a vanished stop may cost, simulated. */
const STOP_BOUND_MS = POSITION_CHECK_MS + 30_000;
const MAINTENANCE_MS = 30 * MINUTE;
const TIMESTAMP_REFUSALS_MS = 5 * MINUTE;

const EVENTS = ['venue cancels the stop', 'venue expires the stop', 'owner moves the stop', 'owner closes by hand', 'owner adds by hand', 'ADL', 'liquidation', 'funding spike'] as const;
type VenueEvent = (typeof EVENTS)[number];

/** Which booked reason an event that closed a position must leave. */
const CLOSE_REASON: Partial<Record<VenueEvent, string>> = { 'owner closes by hand': 'manual_on_exchange', ADL: 'adl', liquidation: 'liquidation' };
/** Events that take the daemon's stop away for a while. */
const STOP_GONE: readonly VenueEvent[] = ['venue cancels the stop', 'venue expires the stop', 'owner moves the stop', 'owner adds by hand'];

export const venueBehaviour: Scenario = {
  name: 'venue-behaviour',
  title: 'Venue behaviour: vanished stops, hand trades, ADL, liquidation, funding spikes, maintenance',
  quick: true,
  async run(context: ScenarioContext): Promise<ScenarioResult> {
    const report = new ScenarioReport(this.name, this.title, context.log);
    const random = seededRandom(context.seed + 29);
    const duration = context.quick ? 75 * MINUTE : 7 * DAY;
    // A simulated week at the usual speed would take the better part of three hours; four times faster keeps a position
    // check at 250 real ms, still many requests long.
    const speed = context.quick ? 60 : 240;
    const world = await World.create({ dir: context.dir, start: START, speed, env: { POSITION_CHECK_SECONDS: String(POSITION_CHECK_MS / 1000) } });
    return runAudited(world, report, { mustStayUp: true, notifications: 'strict' }, async () => {
      if (!(await world.startDaemon())) throw new Error(`the daemon did not start: ${world.daemon.stderr.slice(-500)}`);
      const from = world.simNow();
      const end = from + duration;
      const maintenanceAt = from + (context.quick ? 40 * MINUTE : 3 * DAY);
      const done = new Map<VenueEvent, number>(EVENTS.map((e) => [e, 0]));
      /** Venue instants at which an event took our stop away, per symbol. */
      const stopTakenAt: { symbol: string; at: number }[] = [];
      const ownerStops: { symbol: string; algoId: number }[] = [];
      let maintenance: { from: number; to: number; realFrom: number; realTo: number } | undefined;
      let turn = 0;
      while (world.simNow() < end && world.daemon.alive) {
        await world.untilSim(world.simNow() + (1 + random() * 3) * MINUTE, { whileAlive: true });
        cancelOwnerStopsWithoutPosition(world, ownerStops);
        if (!maintenance && world.simNow() >= maintenanceAt) {
          const at = world.simNow();
          world.venue.maintenance(MAINTENANCE_MS, TIMESTAMP_REFUSALS_MS);
          maintenance = { from: at, to: at + MAINTENANCE_MS + TIMESTAMP_REFUSALS_MS, realFrom: performance.now(), realTo: 0 };
          await world.untilSim(maintenance.to, { whileAlive: true });
          maintenance.realTo = performance.now();
          continue;
        }
        // Nothing the daemon should answer within a check or two right before the maintenance: it cannot act during it.
        if (!maintenance && world.simNow() >= maintenanceAt - 3 * MINUTE) continue;
        const held = heldSymbols(world);
        if (held.length === 0) continue;
        const symbol = held[Math.floor(random() * held.length)] as string;
        // Every kind in turn, so even the short form meets each of them.
        const event = EVENTS[turn % EVENTS.length] as VenueEvent;
        if (act(world, event, symbol, random, ownerStops, turn)) {
          turn += 1;
          done.set(event, (done.get(event) ?? 0) + 1);
          if (STOP_GONE.includes(event)) stopTakenAt.push({ symbol, at: world.simNow() });
        }
      }
      report.simulatedMs = world.simNow() - START.getTime();
      const total = [...done.values()].reduce((a, b) => a + b, 0);
      report.inject(`${total} venue events over ${formatDuration(duration)} simulated: ${[...done].map(([e, n]) => `${n} ${e}`).join(', ')}`, total);
      if (maintenance) report.inject(`maintenance: every endpoint 503 for ${formatDuration(MAINTENANCE_MS)} simulated, then -1021 on signed requests for ${formatDuration(TIMESTAMP_REFUSALS_MS)}`, 1);
      await judge(world, report, { done, stopTakenAt, maintenance });
    });
  },
};

function heldSymbols(world: World): string[] {
  return SOAK_SYMBOLS.map(venueSymbol).filter((symbol) => {
    const position = world.venue.book.position(symbol);
    return position !== undefined && world.protection.stopsFor(symbol) === 1;
  });
}

/** Carries one event out on the venue; false when the venue refused it (no margin for an add, nothing to reduce). */
function act(world: World, event: VenueEvent, symbol: string, random: () => number, ownerStops: { symbol: string; algoId: number }[], turn: number): boolean {
  const { venue } = world;
  const book = venue.book;
  const position = book.position(symbol);
  if (!position) return false;
  const now = venue.now();
  const exitSide = position.amount > 0 ? 'SELL' : 'BUY';
  const size = Math.abs(position.amount);
  try {
    switch (event) {
      case 'venue cancels the stop':
        return venue.dropStops(symbol, 'CANCELED') > 0;
      case 'venue expires the stop':
        return venue.dropStops(symbol, 'EXPIRED') > 0;
      case 'owner moves the stop': {
        const ours = book.algoOrders.find((a) => a.symbol === symbol && a.algoStatus === 'NEW' && a.clientAlgoId.startsWith(`${ORDER_PREFIX}-`));
        if (!ours) return false;
        venue.dropStops(symbol, 'CANCELED');
        const mine = book.placeAlgoOrder({ symbol, side: exitSide, quantity: size, reduceOnly: true, clientOrderId: `web_owner_stop_${turn}`, orderType: 'STOP_MARKET', triggerPrice: ours.triggerPrice, workingType: 'MARK_PRICE' }, now);
        ownerStops.push({ symbol, algoId: mine.algoId });
        return true;
      }
      case 'owner closes by hand':
        return fills(book.placeMarketOrder({ symbol, side: exitSide, quantity: size, reduceOnly: true, clientOrderId: `web_hand_close_${turn}` }, now));
      case 'owner adds by hand':
        return fills(book.placeMarketOrder({ symbol, side: exitSide === 'SELL' ? 'BUY' : 'SELL', quantity: size, reduceOnly: false, clientOrderId: `web_hand_add_${turn}` }, now));
      case 'ADL':
        return venue.autoDeleverage(symbol) !== undefined;
      case 'liquidation':
        return venue.liquidate(symbol) !== undefined;
      case 'funding spike':
        return venue.settleFunding(symbol, random() < 0.5 ? 0.01 : -0.01) !== undefined;
    }
  } catch {
    return false;
  }
}

const fills = (order: BookOrder): boolean => order.executedQty > 0;

/** The owner's own stops go when their position does, as an owner would tidy up; they are not the daemon's to cancel. */
function cancelOwnerStopsWithoutPosition(world: World, ownerStops: { symbol: string; algoId: number }[]): void {
  for (const stop of ownerStops.splice(0)) {
    const algo = world.venue.book.algoOrders.find((a) => a.algoId === stop.algoId);
    if (!algo || algo.algoStatus !== 'NEW') continue;
    if (world.venue.book.position(stop.symbol)) ownerStops.push(stop);
    else algo.algoStatus = 'CANCELED';
  }
}

interface Observed {
  readonly done: ReadonlyMap<VenueEvent, number>;
  readonly stopTakenAt: readonly { symbol: string; at: number }[];
  readonly maintenance?: { from: number; to: number; realFrom: number; realTo: number };
}

async function judge(world: World, report: ScenarioReport, observed: Observed): Promise<void> {
  // The unprotected spells that followed a vanished stop, on the simulated clock.
  const spells = world.protection.summary().spells;
  const afterEvents = observed.stopTakenAt.map(({ symbol, at }) => {
    const spell = spells.find((s) => s.symbol === symbol && s.simFrom >= at - 1_000 && s.simFrom <= at + POSITION_CHECK_MS);
    return spell ? (spell.simTo ?? world.simNow()) - spell.simFrom : 0;
  });
  const longest = Math.max(0, ...afterEvents);
  report.figure('longest unprotected after a vanished stop or a hand add (simulated)', formatDuration(longest));
  report.check(
    'a vanished stop is back within one position check',
    longest <= STOP_BOUND_MS,
    `${observed.stopTakenAt.length} stops taken away; longest unprotected ${formatDuration(longest)} simulated (bound ${formatDuration(STOP_BOUND_MS)}: a ${POSITION_CHECK_MS / 1000} s check, then placing and verifying)`,
  );
  const trades = await world.database.trades();
  const outbox = await world.database.outbox();
  for (const [event, reason] of Object.entries(CLOSE_REASON) as [VenueEvent, string][]) {
    const count = observed.done.get(event) ?? 0;
    const booked = trades.filter((t) => t.reason === reason).length;
    // A position may also meet the same end unprompted (a liquidation the market caused): never fewer, and the final
    // audit proves each close was booked once with exactly the venue's fills.
    report.check(`every ${event} booked as ${reason}`, booked >= count, `${count} event(s), ${booked} trade(s) booked as ${reason}`);
  }
  // ADL, liquidation and hand closes are booked by the same booker as every close: each counts once.
  checkBooks(report, await world.database.bookkeeping(), 0);
  const addAlerts = outbox.filter((row) => row.eventType === 'alert' && String(row.payload['incident'] ?? '').startsWith('added:')).length;
  const adds = observed.done.get('owner adds by hand') ?? 0;
  report.check('every hand add was closed, with one alert each', addAlerts === adds, `${adds} add(s), ${addAlerts} alert(s)`);
  const restored = outbox.filter((row) => row.eventType === 'alert' && String(row.payload['incident'] ?? '').startsWith('reprotected:')).length;
  report.figure('stops placed again (one alert each)', restored);
  if (observed.maintenance) {
    const { realFrom, realTo } = observed.maintenance;
    const duringAlerts = outbox.filter((row) => row.eventType === 'alert' && String(row.payload['incident'] ?? '').startsWith('engine:') && row.createdAt.getTime() >= observed.maintenance!.from && row.createdAt.getTime() <= observed.maintenance!.to);
    const raised = duringAlerts.filter((row) => row.payload['cleared'] !== true).map((row) => String(row.payload['incident']));
    report.check('maintenance: one alert per step that met it', new Set(raised).size === raised.length, `${raised.length} alert(s): ${raised.join(', ') || 'none'}`);
    const sent = world.venue.requests.filter((r) => r.at >= realFrom && r.at <= realTo && r.method !== 'GET' && r.signed).length;
    report.figure('account changes attempted during maintenance (all refused by the venue)', sent);
  }
}
