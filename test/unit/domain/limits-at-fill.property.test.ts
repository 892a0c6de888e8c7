// Property: any entry the risk manager accepts keeps every limit at its real fill, anywhere inside the slippage
// allowance and within the order's limit, after tick and lot rounding, with the stop recomputed from the fill by the
// same function the opener and reconciliation use; a fill beyond that range keeps them on the quantity the risk
// manager lets it keep, with the plan (the opener) or with only the entry order's record (reconciliation after a
// restart); and the total exposure cap holds with the positions already open valued at their marks. Markets include
// the coarsest real ticks of the bundled history.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimal } from '../../../src/adapters/store/memory/memory-tables.js';
import { bracketsFromRates, largestKnownNotional, maintenanceAt } from '../../../src/domain/leverage-brackets.js';
import type { MarketSpec, Side } from '../../../src/domain/market.js';
import { adverseDistance, entryOrderSide, exitOrderSide, grossPnl, slippedPrice, tradingFee } from '../../../src/domain/money.js';
import { positionAfterFill } from '../../../src/domain/position-after-fill.js';
import { DEFAULT_PORTFOLIO, notionalRoom } from '../../../src/domain/portfolio-limits.js';
import { lossBudget, type SizingSettings } from '../../../src/domain/position-sizing.js';
import { MAX_MOVE_FOR_MIN_PROFIT, RiskManager, type EntryPlan, type FilledEntry } from '../../../src/domain/risk-manager.js';
import type { CostSettings, RiskSettings } from '../../../src/domain/settings.js';
import type { Position } from '../../../src/domain/trading.js';

/** Float noise in figures computed by formula (a trillionth): far below a tick, a lot or a cent. */
const NOISE = 1e-12;
const RUNS = 3_000;

/** Contracts from history/binance-usdm/exchangeInfo.json (tick, lot, minimums), each at prices it has traded at. */
const CONTRACTS = [
  { symbol: 'BTC/USDT:USDT', tickSize: 0.1, amountStep: 0.001, minAmount: 0.001, minNotional: 100, prices: [10_000, 200_000] },
  { symbol: 'ETH/USDT:USDT', tickSize: 0.01, amountStep: 0.001, minAmount: 0.001, minNotional: 20, prices: [500, 10_000] },
  { symbol: 'XRP/USDT:USDT', tickSize: 0.0001, amountStep: 0.1, minAmount: 0.1, minNotional: 5, prices: [0.1, 5] },
  { symbol: 'ADA/USDT:USDT', tickSize: 0.0001, amountStep: 1, minAmount: 1, minNotional: 5, prices: [0.1, 3] },
  { symbol: 'DOGE/USDT:USDT', tickSize: 0.00001, amountStep: 1, minAmount: 1, minNotional: 5, prices: [0.01, 1] },
] as const;

const fraction = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/** A real contract at a price it could trade at, or an odd one (any tick, lot and price) to reach the corners. */
const contract = fc.oneof(
  fc.constantFrom(...CONTRACTS).chain((c) => fc.record({ spec: fc.constant(c), price: fraction(c.prices[0], c.prices[1]) })),
  fc
    .record({
      tickSize: fc.constantFrom(0.00001, 0.0001, 0.001, 0.01, 0.1, 0.5, 1),
      amountStep: fc.constantFrom(0.001, 0.01, 0.1, 1, 10),
      price: fraction(0.001, 100_000),
    })
    .map(({ tickSize, amountStep, price }) => ({
      spec: { symbol: 'ODD/USDT:USDT', tickSize, amountStep, minAmount: amountStep, minNotional: 5, prices: [price, price] },
      price,
    })),
);

const world = fc.record({
  contract,
  side: fc.constantFrom<Side>('long', 'short'),
  leverage: fc.integer({ min: 1, max: 5 }),
  maintenanceMarginRate: fraction(0.001, 0.05),
  maintenanceAmount: fc.oneof(fc.constant(0), fraction(0, 5_000)),
  /** The venue's table, when known: floors, rate steps and the leverage each bracket still allows. */
  brackets: fc.option(
    fc.array(fc.record({ width: fraction(500, 3_000_000), rateStep: fraction(0, 0.05), maxLeverage: fc.option(fc.integer({ min: 1, max: 125 }), { nil: undefined }) }), {
      minLength: 0,
      maxLength: 5,
    }),
    { nil: undefined },
  ),
  costs: fc.record({ takerFeeRate: fraction(0, 0.01), slippageBps: fraction(0, 200) }),
  capital: fraction(10, 10_000_000),
  availableShare: fraction(0.3, 1),
  risk: fc
    .record({
      minStopLossPct: fraction(0.01, 0.12),
      // Mostly a usable band; now and then one narrower than some ticks (MIN == MAX is allowed by the config).
      stopWidth: fc.oneof({ arbitrary: fraction(0.01, 0.1), weight: 9 }, { arbitrary: fraction(0, 0.001), weight: 1 }),
      positionSizePct: fraction(0.01, 0.8),
      maxLossAtStopPct: fraction(0.01, 0.5),
      minLiquidationDistancePct: fraction(0.05, 0.5),
      liquidationBufferPct: fraction(0, 0.05),
    })
    .map(({ minStopLossPct, stopWidth, ...rest }): RiskSettings => ({
      ...rest,
      minStopLossPct,
      maxStopLossPct: Math.min(0.2, minStopLossPct + stopWidth),
      maxLeverage: 5,
      dailyLossLimitPct: 0.1,
      maxConsecutiveLosses: 3,
      maxOpenPositions: 1,
    })),
  minProfitUsd: fc.oneof(fc.constant(0), fc.constant(2.5), fraction(0, 100)),
  /** The analysts' stop range, placed around the allowed band (mostly inside it, sometimes across an edge). */
  analystStops: fc.tuple(fraction(-0.2, 1.1), fraction(0, 1)),
  atrPct: fc.option(fraction(0.001, 0.1), { nil: undefined }),
  /** Where inside the fill range the entry fills (0: the best end, 1: the worst) and how much of it. */
  fillAt: fraction(0, 1),
  filledShare: fraction(0, 1),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

/** On the grid to a millionth of a step (plus the float noise of a large multiple). */
function onStep(value: number, step: number): boolean {
  return Math.abs(value - Math.round(value / step) * step) <= step * 1e-6 + Math.abs(value) * 1e-15;
}

function setup(w: World): { spec: MarketSpec; price: number; capital: number; available: number } {
  const { spec: c, price: raw } = w.contract;
  // Prices trade on the tick.
  const price = Math.max(c.tickSize, Math.round(raw / c.tickSize) * c.tickSize);
  const spec: MarketSpec = {
    symbol: c.symbol,
    id: c.symbol.replace('/USDT:USDT', 'USDT'),
    base: c.symbol.split('/')[0] ?? '',
    quote: 'USDT',
    tickSize: c.tickSize,
    amountStep: c.amountStep,
    minAmount: c.minAmount,
    minNotional: c.minNotional,
    maintenanceMarginRate: w.maintenanceMarginRate,
    maintenanceAmount: w.brackets === undefined ? w.maintenanceAmount : 0,
    maxLeverage: 125,
    ...(w.brackets === undefined ? {} : { brackets: bracketsOf(w.maintenanceMarginRate, w.brackets) }),
  };
  return { spec, price, capital: w.capital, available: w.capital * w.availableShare };
}

function bracketsOf(firstRate: number, steps: readonly { width: number; rateStep: number; maxLeverage: number | undefined }[]) {
  const rows: [number, number][] = [[0, firstRate]];
  for (const step of steps) {
    const [floor, rate] = rows[rows.length - 1] ?? [0, firstRate];
    rows.push([floor + step.width, Math.min(0.5, rate + step.rateStep)]);
  }
  return bracketsFromRates(rows, [undefined, ...steps.map((step) => step.maxLeverage)]);
}

/** The simulated fill: a price between the best and the worst the order allows, and a quantity on the lot. */
function fillOf(w: World, plan: EntryPlan, price: number, costs: CostSettings, spec: MarketSpec): { price: number; quantity: number } {
  const lowest = slippedPrice('sell', price, costs.slippageBps);
  const highest = slippedPrice('buy', price, costs.slippageBps);
  // A long fills no higher than its limit, a short no lower; the other side is SLIPPAGE_BPS of luck.
  const [best, worst] = w.side === 'long' ? [lowest, plan.limitPrice] : [highest, plan.limitPrice];
  const fill = best + (worst - best) * w.fillAt;
  const steps = Math.floor((plan.quantity / spec.amountStep) * w.filledShare + 1e-9);
  const quantity = Math.max(spec.minAmount, Number((steps * spec.amountStep).toFixed(10)));
  return { price: fill, quantity: Math.min(quantity, plan.quantity) };
}

describe('limits hold at the fill (property)', () => {
  it('any accepted entry keeps stop band, liquidation distance, margin and loss at the stop at its real fill', () => {
    let accepted = 0;
    fc.assert(
      fc.property(world, (w) => {
        const { spec, price, capital, available } = setup(w);
        const { risk, costs, side, leverage } = w;
        const manager = new RiskManager(risk, costs, w.minProfitUsd);
        const [at, width] = w.analystStops;
        const band = risk.maxStopLossPct - risk.minStopLossPct;
        const low = Math.max(0.001, risk.minStopLossPct + at * band);
        const stopLossRange = [low, low + width * (band + 0.01)] as const;
        const decision = manager.validateEntry(
          { symbol: spec.symbol, side, price, leverage, stopLossRange, atrPct: w.atrPct },
          { capital, available, activePositions: [], entryBlocks: [] },
          spec,
        );
        if (!decision.approved) return;
        accepted += 1;
        const { plan } = decision;
        const slip = costs.slippageBps / 10_000;

        // The order: its limit on the tick, never allowing more than SLIPPAGE_BPS; its quantity on the lot.
        expect(onStep(plan.limitPrice, spec.tickSize)).toBe(true);
        if (side === 'long') expect(plan.limitPrice).toBeLessThanOrEqual(price * (1 + slip) * (1 + NOISE));
        else expect(plan.limitPrice).toBeGreaterThanOrEqual(price * (1 - slip) * (1 - NOISE));
        expect(onStep(plan.quantity, spec.amountStep)).toBe(true);

        const fill = fillOf(w, plan, price, costs, spec);
        const position = positionAfterFill(
          { side, entryPrice: fill.price, quantity: fill.quantity, leverage, stopLossPct: plan.stopLossPct },
          spec,
          { band: risk, takerFeeRate: costs.takerFeeRate },
        );
        // A fill the order allows is kept whole by either cut: the opener's and, after a restart, reconciliation's.
        const filled = { ...fill, side, stopPrice: position.stopPrice };
        expect(manager.quantityWithinLimitsAtFill(plan, filled, spec)).toBe(fill.quantity);
        // Reconciliation reads the fill back from the store, to 12 decimals.
        const stored = { ...filled, price: decimal(filled.price), stopPrice: decimal(filled.stopPrice) };
        expect(manager.quantityWithinCheckedNotional(decimal(plan.checkedNotional), stored, spec)).toBe(fill.quantity);

        // Stop: on the tick, within [min, max] of the fill, and strictly between the fill and liquidation.
        const stopDistance = adverseDistance(side, fill.price, position.stopPrice);
        expect(onStep(position.stopPrice, spec.tickSize)).toBe(true);
        // A stop exactly at the minimum may compute one unit in the last place below it.
        expect(stopDistance).toBeGreaterThanOrEqual(risk.minStopLossPct - NOISE);
        expect(stopDistance).toBeLessThanOrEqual(risk.maxStopLossPct + NOISE);
        const liquidationDistance = adverseDistance(side, fill.price, position.liquidationPrice);
        expect(liquidationDistance).toBeGreaterThanOrEqual(risk.minLiquidationDistancePct - NOISE);
        expect(liquidationDistance - stopDistance).toBeGreaterThanOrEqual(risk.liquidationBufferPct - NOISE);

        // Size: inside a bracket the venue's table knows and that allows this leverage, so liquidation is the real one.
        const notional = fill.quantity * fill.price;
        expect(maintenanceAt(spec, notional)).toBeDefined();
        expect(notional).toBeLessThan(largestKnownNotional(spec, leverage));

        // Margin: at most POSITION_SIZE_PERCENT of the available capital, and with its fee within what is there.
        const margin = (fill.quantity * fill.price) / leverage;
        expect(margin).toBeLessThanOrEqual(risk.positionSizePct * available * (1 + NOISE));
        expect(margin + tradingFee(fill.price, fill.quantity, costs.takerFeeRate)).toBeLessThanOrEqual(available * (1 + NOISE));

        // Loss at the stop: the stop's fill slips against the trader; both fills pay the taker fee.
        const stopFill = slippedPrice(exitOrderSide(side), position.stopPrice, costs.slippageBps);
        const fees = tradingFee(fill.price, fill.quantity, costs.takerFeeRate) + tradingFee(stopFill, fill.quantity, costs.takerFeeRate);
        const loss = fees - grossPnl(side, fill.price, stopFill, fill.quantity);
        expect(loss).toBeLessThanOrEqual(risk.maxLossAtStopPct * capital * (1 + NOISE));

        // Rule 8, at the planned price: a 15% move nets at least MIN_PROFIT_USD after both fees and the exit's slippage.
        const target = slippedPrice(exitOrderSide(side), price * (side === 'long' ? 1 + MAX_MOVE_FOR_MIN_PROFIT : 1 - MAX_MOVE_FOR_MIN_PROFIT), costs.slippageBps);
        const net = grossPnl(side, price, target, plan.quantity) - tradingFee(price, plan.quantity, costs.takerFeeRate) - tradingFee(target, plan.quantity, costs.takerFeeRate);
        expect(net).toBeGreaterThanOrEqual(w.minProfitUsd - 1e-9 * Math.max(1, w.minProfitUsd));
        expect(entryOrderSide(side)).toBe(side === 'long' ? 'buy' : 'sell');
      }),
      { numRuns: RUNS },
    );
    // The property says nothing if the risk manager refused everything.
    expect(accepted).toBeGreaterThan(RUNS / 10);
  });
});

/** The sizing modes and the portfolio's exposure caps, with positions already open taking part of the total. */
const sizingWorld = fc.record({
  base: world,
  sizing: fc.record({
    mode: fc.constantFrom<SizingSettings['mode']>('fixed', 'atr_risk', 'kelly'),
    riskPerTradePct: fraction(0.001, 0.5),
    kellyFraction: fraction(0.05, 1),
    kellyMinScoredVotes: fc.integer({ min: 1, max: 100 }),
  }),
  record: fc.option(
    fc.integer({ min: 0, max: 500 }).chain((scored) => fc.record({ scored: fc.constant(scored), hits: fc.integer({ min: 0, max: scored }) })),
    { nil: undefined },
  ),
  takeProfitPct: fraction(0.01, 0.3),
  maxAssetExposure: fraction(0.1, 5),
  maxTotalExposure: fraction(0.1, 6),
  openShare: fraction(0, 1),
});

describe('limits hold at the fill in every sizing mode and under the exposure caps (property)', () => {
  it('the loss at the stop stays inside the mode\u2019s budget and the notional inside the room the caps leave', () => {
    let accepted = 0;
    fc.assert(
      fc.property(sizingWorld, ({ base: w, sizing, record, takeProfitPct, maxAssetExposure, maxTotalExposure, openShare }) => {
        const { spec, price, capital, available } = setup(w);
        const { risk, costs, side, leverage } = w;
        const portfolio = { ...DEFAULT_PORTFOLIO, maxAssetExposure, maxTotalExposure };
        const manager = new RiskManager({ ...risk, maxOpenPositions: 5 }, costs, w.minProfitUsd, sizing, portfolio);
        // One position already open on another symbol, holding part of the total exposure cap.
        const open = { id: 'p0', symbol: 'OTHER/USDT:USDT', side, quantity: 1, entryPrice: openShare * maxTotalExposure * capital } as const;
        const activePositions = [open as unknown as Position];
        const decision = manager.validateEntry(
          { symbol: spec.symbol, side, price, leverage, atrPct: w.atrPct, takeProfitPct, trackRecord: record },
          { capital, available, activePositions, entryBlocks: [] },
          spec,
        );
        if (!decision.approved) return;
        accepted += 1;
        const { plan } = decision;
        const fill = fillOf(w, plan, price, costs, spec);
        const position = positionAfterFill(
          { side, entryPrice: fill.price, quantity: fill.quantity, leverage, stopLossPct: plan.stopLossPct },
          spec,
          { band: risk, takerFeeRate: costs.takerFeeRate },
        );
        const budget = lossBudget(sizing, risk, { stopLossPct: plan.stopLossPct, takeProfitPct, record });
        expect(budget.ok).toBe(true);
        const lossPct = budget.ok ? budget.lossPct : 0;
        expect(lossPct).toBeLessThanOrEqual(risk.maxLossAtStopPct);
        const stopFill = slippedPrice(exitOrderSide(side), position.stopPrice, costs.slippageBps);
        const fees = tradingFee(fill.price, fill.quantity, costs.takerFeeRate) + tradingFee(stopFill, fill.quantity, costs.takerFeeRate);
        const loss = fees - grossPnl(side, fill.price, stopFill, fill.quantity);
        expect(loss).toBeLessThanOrEqual(lossPct * capital * (1 + NOISE));
        // Exposure: the fill's notional fits the room both caps left, so the total stays under its cap.
        expect(fill.quantity * fill.price).toBeLessThanOrEqual(notionalRoom(portfolio, capital, [open]) * (1 + NOISE));
        expect(fill.quantity * fill.price + open.entryPrice).toBeLessThanOrEqual(maxTotalExposure * capital * (1 + NOISE));
        // Margin and liquidation are the fixed mode's limits and hold in every mode.
        expect((fill.quantity * fill.price) / leverage).toBeLessThanOrEqual(risk.positionSizePct * available * (1 + NOISE));
        const stopDistance = adverseDistance(side, fill.price, position.stopPrice);
        const liquidationDistance = adverseDistance(side, fill.price, position.liquidationPrice);
        expect(liquidationDistance - stopDistance).toBeGreaterThanOrEqual(risk.liquidationBufferPct - NOISE);
      }),
      { numRuns: RUNS },
    );
    expect(accepted).toBeGreaterThan(RUNS / 20);
  });
});

/** Positions already open when the market has moved since they were entered, and an entry the total cap may bind. */
const markedWorld = fc.record({
  base: world,
  maxAssetExposure: fraction(0.1, 5),
  maxTotalExposure: fraction(0.1, 6),
  /** The share of the total cap the open positions took at their entry prices, split between them by `weight`. */
  used: fraction(0, 1),
  held: fc.array(fc.record({ side: fc.constantFrom<Side>('long', 'short'), weight: fraction(0.1, 1), markMove: fraction(0.5, 1.5) }), { minLength: 1, maxLength: 3 }),
});

describe('the total exposure cap holds at the marks of the positions already open (property)', () => {
  it('an entry filled whole at its worst price leaves the total notional inside the cap, the open positions valued at their marks and at their entry prices', () => {
    let accepted = 0;
    let bound = 0;
    fc.assert(
      fc.property(markedWorld, ({ base: w, maxAssetExposure, maxTotalExposure, used, held }) => {
        const { spec, price, capital, available } = setup(w);
        const { risk, costs, side, leverage } = w;
        const portfolio = { ...DEFAULT_PORTFOLIO, maxAssetExposure, maxTotalExposure };
        const manager = new RiskManager({ ...risk, maxOpenPositions: 5 }, costs, w.minProfitUsd, undefined, portfolio);
        const weights = held.reduce((total, h) => total + h.weight, 0);
        const open = held.map((h, i) => {
          const entryPrice = ((used * h.weight) / weights) * maxTotalExposure * capital;
          return { id: `p${i}`, symbol: `OTHER${i}/USDT:USDT`, side: h.side, quantity: 1, entryPrice, markPrice: entryPrice * h.markMove };
        });
        const decision = manager.validateEntry(
          { symbol: spec.symbol, side, price, leverage, atrPct: w.atrPct },
          { capital, available, activePositions: open as unknown as Position[], entryBlocks: [] },
          spec,
        );
        if (!decision.approved) return;
        accepted += 1;
        // The whole quantity at the limit: the most notional the order can carry.
        const fill = fillOf({ ...w, fillAt: 1, filledShare: 1 }, decision.plan, price, costs, spec);
        const filled = fill.quantity * fill.price;
        const cap = maxTotalExposure * capital;
        const atMarks = open.reduce((total, p) => total + p.quantity * p.markPrice, 0);
        const atEntries = open.reduce((total, p) => total + p.quantity * p.entryPrice, 0);
        if (filled + Math.max(atMarks, atEntries) > cap * 0.9) bound += 1;
        expect(filled + atMarks).toBeLessThanOrEqual(cap * (1 + NOISE));
        expect(filled + atEntries).toBeLessThanOrEqual(cap * (1 + NOISE));
      }),
      { numRuns: RUNS },
    );
    // The property says nothing unless the cap often bound.
    expect(accepted).toBeGreaterThan(RUNS / 20);
    expect(bound).toBeGreaterThan(RUNS / 50);
  });
});

/** What a cut keeps of a fill beyond its range: the opener asks with the plan, reconciliation after a restart with the entry order's record. */
type Cut = (manager: RiskManager, plan: EntryPlan, fill: FilledEntry, spec: MarketSpec) => number;

const withThePlan: Cut = (manager, plan, fill, spec) => manager.quantityWithinLimitsAtFill(plan, fill, spec);
// The notional as the entry order's record gives it back: rounded to the store's 12 decimals.
const withTheRecord: Cut = (manager, plan, fill, spec) => manager.quantityWithinCheckedNotional(decimal(plan.checkedNotional), fill, spec);

describe('a fill beyond the range the entry was sized for is cut back to what the limits allow (property)', () => {
  it.each([
    ['the opener, with the plan', withThePlan],
    ['reconciliation after a restart, with the entry order\u2019s record', withTheRecord],
  ] as const)('a short sold higher or a long bought lower than its range keeps stop buffer, liquidation, margin and loss on the quantity kept by %s', (_, cut) => {
    let trimmed = 0;
    let keptSome = 0;
    fc.assert(
      fc.property(world, fraction(1e-6, 0.05), (w, beyond) => {
        const { spec, price, capital, available } = setup(w);
        const { risk, costs, side, leverage } = w;
        const manager = new RiskManager(risk, costs, w.minProfitUsd);
        const decision = manager.validateEntry(
          { symbol: spec.symbol, side, price, leverage, atrPct: w.atrPct },
          { capital, available, activePositions: [], entryBlocks: [] },
          spec,
        );
        if (!decision.approved) return;
        const { plan } = decision;
        // The market jumped while the order was on its way: the fill is better for the trader than the range.
        const range = side === 'short' ? slippedPrice('buy', price, costs.slippageBps) : slippedPrice('sell', price, costs.slippageBps);
        const fillPrice = side === 'short' ? range * (1 + beyond) : range * (1 - beyond);
        const filled = positionAfterFill({ side, entryPrice: fillPrice, quantity: plan.quantity, leverage, stopLossPct: plan.stopLossPct }, spec, { band: risk, takerFeeRate: costs.takerFeeRate });
        const kept = cut(manager, plan, { side, price: fillPrice, quantity: plan.quantity, stopPrice: filled.stopPrice }, spec);

        expect(kept).toBeLessThanOrEqual(plan.quantity);
        expect(onStep(kept, spec.amountStep)).toBe(true);
        if (kept < plan.quantity) trimmed += 1;
        if (kept === 0) return;
        if (kept < plan.quantity) keptSome += 1;
        expect(kept).toBeGreaterThanOrEqual(spec.minAmount);
        const position = positionAfterFill({ side, entryPrice: fillPrice, quantity: kept, leverage, stopLossPct: plan.stopLossPct }, spec, { band: risk, takerFeeRate: costs.takerFeeRate });
        const notional = kept * fillPrice;
        expect(notional).toBeLessThan(largestKnownNotional(spec, leverage));
        expect(notional / leverage).toBeLessThanOrEqual(risk.positionSizePct * available * (1 + NOISE));
        expect(notional / leverage + tradingFee(fillPrice, kept, costs.takerFeeRate)).toBeLessThanOrEqual(available * (1 + NOISE));
        const stopDistance = adverseDistance(side, fillPrice, position.stopPrice);
        // A stop exactly at the minimum may compute one unit in the last place below it.
        expect(stopDistance).toBeGreaterThanOrEqual(risk.minStopLossPct - NOISE);
        expect(stopDistance).toBeLessThanOrEqual(risk.maxStopLossPct + NOISE);
        const liquidationDistance = adverseDistance(side, fillPrice, position.liquidationPrice);
        expect(liquidationDistance).toBeGreaterThanOrEqual(risk.minLiquidationDistancePct - NOISE);
        expect(liquidationDistance - stopDistance).toBeGreaterThanOrEqual(risk.liquidationBufferPct - NOISE);
        const stopFill = slippedPrice(exitOrderSide(side), position.stopPrice, costs.slippageBps);
        const fees = tradingFee(fillPrice, kept, costs.takerFeeRate) + tradingFee(stopFill, kept, costs.takerFeeRate);
        expect(fees - grossPnl(side, fillPrice, stopFill, kept)).toBeLessThanOrEqual(risk.maxLossAtStopPct * capital * (1 + NOISE));
      }),
      { numRuns: RUNS },
    );
    // Some shorts must have needed the cut, or the property says nothing about it; and a cut must usually keep part of
    // the fill, or an answer of 0 for every fill beyond its range would pass.
    expect(trimmed).toBeGreaterThan(RUNS / 50);
    expect(keptSome).toBeGreaterThan(trimmed / 2);
  });
});
