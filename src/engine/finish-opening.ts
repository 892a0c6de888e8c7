// The last steps of an entry, once its stop is verified and any cut made: shared by the opener and by reconciliation
// when it finishes an entry a restart interrupted, so both leave the same position and tell the owner the same way.
import { describeError } from '../domain/errors.js';
import { priceForNetPnl, valuePosition } from '../domain/exit-rules.js';
import type { Position } from '../domain/trading.js';
import type { EngineContext } from './engine-context.js';
import type { TakeProfitLadder } from './take-profit-ladder.js';
import type { TakeProfitOrders } from './take-profit-order.js';
import { inTransaction } from './transaction-scope.js';

/**
 * The final target, then the ladder (protection first, convenience second), then the owner told and the position open
 * in one transaction. All of it comes before the position counts as open: a crash on the way leaves it opening, the
 * restart places what is missing (each order is found by its client id, not sent twice) and tells the owner once.
 */
export async function finishOpening(ctx: EngineContext, targets: TakeProfitOrders, ladder: TakeProfitLadder | undefined, position: Position): Promise<Position> {
  const { clock, logger, settings, store, notifier } = ctx;
  const targetRests = await targets.arm(position);
  const steps = await ladder?.arm(position).catch((error: unknown) => {
    logger.warn({ positionId: position.id, error: describeError(error) }, 'could not place the take-profit ladder');
    return undefined;
  });
  const minProfitUsd = settings.exits.minProfitUsd;
  const opened = {
    type: 'position_opened' as const,
    at: clock.now(),
    position: { ...position, status: 'open' as const },
    minProfitPrice: priceForNetPnl(position, minProfitUsd, settings.costs),
    minProfitUsd,
    ...(steps ? { ladder: steps } : {}),
    ...(targetRests ? await restingTarget(ctx, targets, position) : {}),
  };
  return inTransaction(store, async (scope) => {
    await notifier.notify(opened, scope);
    return scope.transaction.positions.update(position.id, { status: 'open' });
  });
}

/**
 * The final target as placed: its trigger lies beyond the position's target price when that would book less than the
 * minimum profit, so the price the owner is shown is the one on the venue. Left out when its record cannot be read.
 */
async function restingTarget(ctx: EngineContext, targets: TakeProfitOrders, position: Position): Promise<{ target?: { triggerPrice: number; netPnl: number } }> {
  const triggerPrice = await targets.restingTrigger(position).catch(() => undefined);
  if (triggerPrice === undefined) return {};
  return { target: { triggerPrice, netPnl: valuePosition(position, triggerPrice, ctx.settings.costs).netPnl } };
}
