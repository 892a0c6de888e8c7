// Real venue behaviour that is not an error, at random moments against positions the daemon holds: the venue cancels
// or expires the stop, the owner moves the stop, closes or adds to the position by hand, the venue auto-deleverages
// all or part of it or liquidates it, funding spikes to ±1% for an interval; once a maintenance (every endpoint 503
// for 30 simulated minutes, then -1021 for 5); and once a delisting, which settles a held position and leaves its
// symbol taking reduce-only orders for the rest of the run. The position check runs at its default (60 s); the
// venue's order stream (ORDER_TRADE_UPDATE, ALGO_UPDATE) wakes the daemon sooner. Funding booked on every trade is
// compared with the venue's funding payments over the trade's life.
import type { BookOrder } from '../../test/peers/binance-usdm/account-book.js';
import { venueSymbol } from '../../test/peers/binance-usdm/venue-state.js';
import { seededRandom } from '../../test/peers/binance-usdm/random-faults.js';
import { runAudited } from '../support/final-audit.js';
import { DEFAULT_PROTECTION_GRACE_MS } from '../support/protection-monitor.js';
import { formatDuration, type Scenario, type ScenarioContext, ScenarioReport, type ScenarioResult } from '../support/scenario.js';
import { ORDER_PREFIX, SOAK_SYMBOLS, World } from '../support/world.js';
import type { StoredTrade } from '../support/soak-database.js';
import { checkBooks } from './owner-commands.js';

const START = new Date('2025-10-10T00:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const POSITION_CHECK_MS = 60_000;
/**
 * What a vanished stop may cost has two parts on two clocks. Noticing it waits at most one position check, a schedule
 * on the daemon's clock: 60 s simulated, which is 60 s / speed real. Repairing it (placing the stop, reading the open
 * orders back, telling the owner) is requests and a database write: real time, whatever the speed. At 240x a loaded
 * machine's half second of repair is two simulated minutes, so a bound written in simulated time alone fails for the
 * speed, not for the daemon. The repair gets the same real allowance the protection monitor gives the moment between a
 * fill and its stop (the grace, 3 s real); the bound is checked on the spell's measured real length:
 * real ≤ check / speed + allowance, and shown in both clocks.
 */
const REPAIR_ALLOWANCE_REAL_MS = DEFAULT_PROTECTION_GRACE_MS;
const MAINTENANCE_MS = 30 * MINUTE;
const TIMESTAMP_REFUSALS_MS = 5 * MINUTE;
/** Booked funding may differ from the venue's payments by the store's rounding (NUMERIC to 8 places) and no more. */
const FUNDING_TOLERANCE = 1e-6;

// The funding spike comes right before the hand close, which closes the position the spike was paid on when it is
// still held: the short form has no regular funding instant, and its maintenance stops the daemon's own closes for its
// last half hour, so without that the only funded position may still be open at the end and the funding comparison
// would cover unfunded trades only.
const EVENTS = ['venue cancels the stop', 'venue expires the stop', 'owner moves the stop', 'funding spike', 'owner closes by hand', 'owner adds by hand', 'ADL', 'partial ADL', 'liquidation'] as const;
type VenueEvent = (typeof EVENTS)[number];

/** Which booked reason an event that closed a position must leave. */
const CLOSE_REASON: Partial<Record<VenueEvent, string>> = { 'owner closes by hand': 'manual_on_exchange', ADL: 'adl', liquidation: 'liquidation' };
/** Events that cost the position's margin (or most of it), and how many of each a run injects at most. */
const COSTLY: readonly VenueEvent[] = ['liquidation', 'ADL'];
const COSTLY_MAX = 3;
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
    // A liquidation costs the position's margin: the drawdown switch (25% by default, kept until /resume) would stop
    // every entry within the first simulated hours of a week, and the rest of the run would test nothing.
    const world = await World.create({ dir: context.dir, start: START, speed, env: { POSITION_CHECK_SECONDS: String(POSITION_CHECK_MS / 1000), MAX_DRAWDOWN_PERCENT: '0.9' } });
    return runAudited(world, report, { mustStayUp: true, notifications: 'strict' }, async () => {
      if (!(await world.startDaemon())) throw new Error(`the daemon did not start: ${world.daemon.stderr.slice(-500)}`);
      const from = world.simNow();
      const end = from + duration;
      const maintenanceAt = from + (context.quick ? 40 * MINUTE : 3 * DAY);
      // Once, late enough that positions are held; the symbol is gone for the rest of the run (the soak has six).
      const delistAt = from + (context.quick ? 25 * MINUTE : 5 * DAY);
      let delisting: Delisting | undefined;
      const done = new Map<VenueEvent, number>(EVENTS.map((e) => [e, 0]));
      /** Venue instants at which an event took our stop away, per symbol. */
      const stopTakenAt: { symbol: string; at: number }[] = [];
      const ownerStops: { symbol: string; algoId: number }[] = [];
      let maintenance: { from: number; to: number; realFrom: number; realTo: number } | undefined;
      let turn = 0;
      /** The symbol the last funding spike was paid on, until a hand close takes a position off. */
      let funded: string | undefined;
      while (world.simNow() < end && world.daemon.alive) {
        // A week holds every kind many times over at a slower pace; the short form meets each kind once.
        const gapMinutes = context.quick ? 1 + random() * 3 : 20 + random() * 40;
        await world.untilSim(world.simNow() + gapMinutes * MINUTE, { whileAlive: true });
        cancelOwnerStopsWithoutPosition(world, ownerStops);
        if (!maintenance && world.simNow() >= maintenanceAt) {
          const at = world.simNow();
          // An entry the daemon had under way can fill just as the venue stops answering: its stop cannot be placed
          // until the venue answers again, and only the time after that counts against the daemon.
          world.protection.venueDown();
          world.venue.maintenance(MAINTENANCE_MS, TIMESTAMP_REFUSALS_MS);
          maintenance = { from: at, to: at + MAINTENANCE_MS + TIMESTAMP_REFUSALS_MS, realFrom: performance.now(), realTo: 0 };
          await world.untilSim(maintenance.to, { whileAlive: true });
          world.protection.venueAnswers();
          maintenance.realTo = performance.now();
          continue;
        }
        // Nothing the daemon should answer within a check or two right before the maintenance: it cannot act during it.
        if (!maintenance && world.simNow() >= maintenanceAt - 3 * MINUTE) continue;
        const held = heldSymbols(world).filter((symbol) => symbol !== delisting?.symbol);
        if (held.length === 0) continue;
        const drawn = held[Math.floor(random() * held.length)] as string;
        if (!delisting && world.simNow() >= delistAt) {
          delisting = delist(world, drawn);
          continue;
        }
        // Every kind in turn, except that the ones costing a position's whole margin come at most a few times a run.
        let event = EVENTS[turn % EVENTS.length] as VenueEvent;
        if (COSTLY.includes(event) && (done.get(event) ?? 0) >= COSTLY_MAX) {
          turn += 1;
          event = EVENTS[turn % EVENTS.length] as VenueEvent;
        }
        const symbol = event === 'owner closes by hand' && funded !== undefined && held.includes(funded) ? funded : drawn;
        if (act(world, event, symbol, random, ownerStops, turn)) {
          turn += 1;
          done.set(event, (done.get(event) ?? 0) + 1);
          if (STOP_GONE.includes(event)) stopTakenAt.push({ symbol, at: world.simNow() });
          if (event === 'funding spike') funded = symbol;
          if (event === 'owner closes by hand') funded = undefined;
        }
      }
      report.simulatedMs = world.simNow() - START.getTime();
      const total = [...done.values()].reduce((a, b) => a + b, 0);
      report.inject(`${total} venue events over ${formatDuration(duration)} simulated: ${[...done].map(([e, n]) => `${n} ${e}`).join(', ')}`, total);
      if (maintenance) report.inject(`maintenance: every endpoint 503 for ${formatDuration(MAINTENANCE_MS)} simulated, then -1021 on signed requests for ${formatDuration(TIMESTAMP_REFUSALS_MS)}`, 1);
      if (delisting) report.inject(`delisting: ${delisting.symbol} settled at ${delisting.price} with a position open, reduce-only for the rest of the run`, 1);
      await judge(world, report, { done, stopTakenAt, maintenance, delisting });
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
      case 'partial ADL':
        // Half, in whole lots (a position of one lot cannot be halved: the venue refuses, and the turn passes).
        return venue.autoDeleverage(symbol, size / 2) !== undefined;
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

interface Delisting {
  readonly symbol: string;
  readonly price: number;
  /** performance.now() of the settlement, to pick out the requests that followed it. */
  readonly realAt: number;
}

/** The venue delists `symbol`: its position is settled at the mark price, and it takes reduce-only orders from now on. */
function delist(world: World, symbol: string): Delisting | undefined {
  const position = world.venue.book.position(symbol);
  if (!position) return undefined;
  const mark = position.entryPrice + world.venue.book.unrealizedPnl(position) / position.amount;
  const realAt = performance.now();
  return world.venue.settleSymbol(symbol, mark) ? { symbol, price: mark, realAt } : undefined;
}

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
  readonly delisting?: Delisting;
}

async function judge(world: World, report: ScenarioReport, observed: Observed): Promise<void> {
  // The unprotected spells that followed a vanished stop, each measured on both clocks.
  const spells = world.protection.summary().spells;
  const afterEvents = observed.stopTakenAt.map(({ symbol, at }) => {
    const spell = spells.find((s) => s.symbol === symbol && s.simFrom >= at - 1_000 && s.simFrom <= at + POSITION_CHECK_MS);
    if (!spell) return { simMs: 0, realMs: 0 };
    return { simMs: (spell.simTo ?? world.simNow()) - spell.simFrom, realMs: (spell.to ?? performance.now()) - spell.from };
  });
  const longestSim = Math.max(0, ...afterEvents.map((spell) => spell.simMs));
  const longestReal = Math.max(0, ...afterEvents.map((spell) => spell.realMs));
  const boundRealMs = world.realMs(POSITION_CHECK_MS) + REPAIR_ALLOWANCE_REAL_MS;
  report.figure('longest unprotected after a vanished stop or a hand add (simulated / real)', `${formatDuration(longestSim)} / ${formatDuration(longestReal)}`);
  report.check(
    'a vanished stop is back within one position check and the repair',
    longestReal <= boundRealMs,
    `${observed.stopTakenAt.length} stops taken away; longest unprotected ${formatDuration(longestReal)} real (${formatDuration(longestSim)} simulated at ${world.speed}x); ` +
      `bound ${formatDuration(boundRealMs)} real: one ${POSITION_CHECK_MS / 1000} s check (${formatDuration(world.realMs(POSITION_CHECK_MS))} real) and ${formatDuration(REPAIR_ALLOWANCE_REAL_MS)} real to place and verify`,
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
  const alertsOf = (prefix: string) => outbox.filter((row) => row.eventType === 'alert' && row.payload['cleared'] !== true && String(row.payload['incident'] ?? '').startsWith(prefix));
  const addAlerts = alertsOf('added:');
  const adds = observed.done.get('owner adds by hand') ?? 0;
  const takenIn = addAlerts.filter((row) => /covers the whole size/.test(String(row.payload['message'] ?? ''))).length;
  report.check(
    'every hand add was taken in with its stop re-armed for the whole size (ORPHAN_POSITION_POLICY=adopt) or closed, with one alert each',
    addAlerts.length === adds,
    `${adds} add(s), ${addAlerts.length} alert(s): ${takenIn} taken in, ${addAlerts.length - takenIn} closed at market`,
  );
  const partials = observed.done.get('partial ADL') ?? 0;
  const reducedAlerts = alertsOf('reduced:').length;
  report.check('every partial ADL shrank the position, re-armed its stop and told the owner once', reducedAlerts === partials, `${partials} partial ADL(s), ${reducedAlerts} alert(s)`);
  await judgeFunding(world, report, trades);
  if (observed.delisting) judgeDelisting(world, report, trades, observed.delisting);
  const restored = outbox.filter((row) => row.eventType === 'alert' && String(row.payload['incident'] ?? '').startsWith('reprotected:')).length;
  report.figure('stops placed again (one alert each)', restored);
  if (observed.maintenance) {
    const { realFrom, realTo } = observed.maintenance;
    const duringAlerts = outbox.filter((row) => row.eventType === 'alert' && String(row.payload['incident'] ?? '').startsWith('engine:') && row.createdAt.getTime() >= observed.maintenance!.from && row.createdAt.getTime() <= observed.maintenance!.to);
    const raised = duringAlerts.filter((row) => row.payload['cleared'] !== true).map((row) => String(row.payload['incident']));
    report.check('maintenance: one alert per step that met it', new Set(raised).size === raised.length, `${raised.length} alert(s): ${raised.join(', ') || 'none'}`);
    // While every endpoint answers 503 no step can have done its work: an all-clear then would tell the owner a lie.
    const outageTo = observed.maintenance.from + MAINTENANCE_MS;
    const earlyClears = duringAlerts.filter((row) => row.payload['cleared'] === true && row.createdAt.getTime() < outageTo).map((row) => String(row.payload['incident']));
    report.check('maintenance: no step said to work again while every endpoint refused', earlyClears.length === 0, `${earlyClears.length} all-clear(s)${earlyClears.length > 0 ? `: ${earlyClears.join(', ')}` : ''}`);
    const sent = world.venue.requests.filter((r) => r.at >= realFrom && r.at <= realTo && r.method !== 'GET' && r.signed).length;
    report.figure('account changes attempted during maintenance (all refused by the venue)', sent);
    const caught = world.protection.summary().spells.filter((spell) => spell.from < realTo && (spell.to ?? Infinity) > realFrom).map((spell) => spell.symbol);
    report.figure('positions the maintenance held without a stop (their time after it is judged like any other)', caught.length > 0 ? caught.join(', ') : 0);
  }
}

/**
 * Funding booked on each trade against the venue's FUNDING_FEE payments on its symbol between the trade's first and
 * last fill (on the venue's clock): the spikes of ±1% included, they must agree to the store's rounding.
 */
async function judgeFunding(world: World, report: ScenarioReport, trades: readonly StoredTrade[]): Promise<void> {
  const book = world.venue.book;
  let compared = 0;
  let withFunding = 0;
  let worst = 0;
  const off: string[] = [];
  for (const trade of trades) {
    const times = trade.fillIds.map((id) => book.trades.find((fill) => String(fill.id) === id)?.time).filter((time): time is number => time !== undefined);
    if (times.length === 0) continue;
    const [from, to] = [Math.min(...times), Math.max(...times)];
    const paid = book.income
      .filter((row) => row.incomeType === 'FUNDING_FEE' && row.symbol === venueSymbol(trade.symbol) && row.time >= from && row.time <= to)
      .reduce((total, row) => total + row.income, 0);
    compared += 1;
    if (paid !== 0) withFunding += 1;
    const difference = Math.abs(paid - trade.funding);
    worst = Math.max(worst, difference);
    if (difference > FUNDING_TOLERANCE) off.push(`position ${trade.positionId}: booked ${trade.funding}, venue ${paid}`);
  }
  const spikes = book.income.filter((row) => row.incomeType === 'FUNDING_FEE').length;
  report.figure('funding payments on the venue (regular and spikes)', spikes);
  // A comparison over unfunded trades alone would pass whatever the booking did with funding.
  report.check(
    'funding booked exactly as the venue paid it, on at least one funded trade',
    off.length === 0 && withFunding > 0,
    off.length === 0 ? `${compared} trades compared, ${withFunding} with funding; largest difference ${worst.toExponential(1)} USDT` : off.join('; '),
  );
}

/** The settled position is booked as a settlement, and no entry in the delisted symbol is filled afterwards. */
function judgeDelisting(world: World, report: ScenarioReport, trades: readonly StoredTrade[], delisting: Delisting): void {
  const settled = trades.filter((trade) => venueSymbol(trade.symbol) === delisting.symbol && trade.reason === 'settlement').length;
  report.check('the delisted position was booked as a settlement, once', settled === 1, `${settled} trade(s) booked as settlement on ${delisting.symbol}`);
  const entries = world.venue.requests.filter(
    (r) => r.at >= delisting.realAt && r.method === 'POST' && r.path === '/fapi/v1/order' && r.params['symbol'] === delisting.symbol && r.params['newClientOrderId']?.startsWith(`${ORDER_PREFIX}-`) === true && r.params['newClientOrderId'].endsWith('-entry'),
  ).length;
  report.figure(`entries sent in ${delisting.symbol} after it stopped trading (the venue refuses them, -4140)`, entries);
  const reopened = world.venue.book.position(delisting.symbol) !== undefined;
  report.check('nothing open in the delisted symbol at the end', !reopened, reopened ? `${delisting.symbol} holds a position` : `${delisting.symbol} flat`);
}
