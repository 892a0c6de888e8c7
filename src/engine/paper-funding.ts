// INITIAL_CAPITAL is what a paper account is given, but the account lives on in the store from one start to the next:
// without this, an owner who raised it from $100 to $1000 would go on trading $100 while /status and the README said
// otherwise. A changed figure is carried out as a real account would see it: the difference is paid in or taken out,
// and what the account made or lost so far stays. No figure may read a deposit as a gain or a withdrawal as a loss:
// the drawdown peak scales with the account (a drawdown under way stays as deep), the day's starting capital (the
// loss limit's base) moves with the money, the summaries show it apart from the P&L, and the shadow leaderboard
// measures from the last transfer on. Checked at start, before the paper exchange reads its account.
import { roundUsd } from '../domain/money.js';
import { utcDay } from '../domain/time.js';
import type { Store, StoreRepositories, TradingStateRepository } from '../ports/store.js';
import { moveBreakerDay } from './breaker-service.js';
import { restartFooting } from './capital-footing.js';
import { movePeakForTransfer } from './drawdown-guard.js';

const FUNDING_KEY = 'paper-funding';

/** Money paid into the paper account (positive) or taken out, outside any trade, and when (ISO time). */
interface PaperTransfer {
  readonly at: string;
  readonly amount: number;
}

/** What the paper account has been given in all (the INITIAL_CAPITAL it was last started with), and each change since. */
interface PaperFunding {
  readonly amount: number;
  readonly transfers?: readonly PaperTransfer[];
}

function isPaperFunding(value: unknown): value is PaperFunding {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>).amount === 'number';
}

/** Money paid into the paper account (positive) or taken out in [from, to), oldest first; none if it never changed. */
export async function paperTransfersBetween(state: TradingStateRepository, from: Date, to: Date): Promise<{ readonly at: Date; readonly amount: number }[]> {
  const funding = await state.get(FUNDING_KEY);
  if (!isPaperFunding(funding)) return [];
  return (funding.transfers ?? [])
    .map((transfer) => ({ at: new Date(transfer.at), amount: transfer.amount }))
    .filter((transfer) => transfer.at >= from && transfer.at < to);
}

/** When money was last paid into the paper account or taken out of it; none for a live account, or one never changed. */
export async function lastPaperTransferAt(state: TradingStateRepository): Promise<Date | undefined> {
  const funding = await state.get(FUNDING_KEY);
  const last = isPaperFunding(funding) ? funding.transfers?.at(-1) : undefined;
  return last === undefined ? undefined : new Date(last.at);
}

/** The change cannot be carried out now; the account is left as it was. */
export class PaperFundingRefusedError extends Error {
  override readonly name = 'PaperFundingRefusedError';

  constructor(
    /** Why, without what the owner of the main account could do about it. */
    readonly reason: string,
    advice: string,
  ) {
    super(`${reason} ${advice}`);
  }
}

const usd = (amount: number): string => `$${amount.toFixed(2)}`;

/**
 * Brings the paper account to `initialCapital`: a first start records it, a start with another figure pays the
 * difference in or takes it out. Returns the line the start-up message carries, or nothing when nothing changed.
 * Refused (the start fails, nothing written) when taking the difference out would leave the wallet below zero, or
 * while a position is open: its margin is part of the wallet, and the owner would not see what is left to trade.
 */
export function fundPaperAccount(store: Store, initialCapital: number, now: Date): Promise<string | undefined> {
  // One transaction: a start that dies half-way must not pay the difference in a second time at the next.
  return store.transaction((tx) => fund(tx, initialCapital, now));
}

async function fund(tx: StoreRepositories, initialCapital: number, now: Date): Promise<string | undefined> {
  const [recorded, saved] = await Promise.all([tx.state.get(FUNDING_KEY), tx.paperAccount.load()]);
  // A new account is opened with INITIAL_CAPITAL itself. One from before funding was recorded is taken as given the
  // figure it starts with now: what it was given then is not known.
  if (saved === undefined || !isPaperFunding(recorded)) {
    await tx.state.put(FUNDING_KEY, { amount: initialCapital } satisfies PaperFunding);
    return undefined;
  }
  const change = roundUsd(initialCapital - recorded.amount);
  if (change === 0) return undefined;
  const from = `INITIAL_CAPITAL was ${usd(recorded.amount)} when the paper account last started and is ${usd(initialCapital)} now`;
  const wallet = roundUsd(saved.balance + change);
  const active = await tx.positions.active();
  if (change < 0) {
    if (active.length > 0) {
      throw new PaperFundingRefusedError(
        `${from}: taking ${usd(-change)} out of the paper account waits until its open position${active.length === 1 ? '' : 's'} ` +
          `(${active.map((position) => position.symbol).join(', ')}) ${active.length === 1 ? 'is' : 'are'} closed.`,
        `Start again with INITIAL_CAPITAL=${recorded.amount} and /close, or let ${active.length === 1 ? 'it' : 'them'} close, then lower it.`,
      );
    }
    if (wallet < 0) {
      throw new PaperFundingRefusedError(
        `${from}: the paper wallet holds ${usd(saved.balance)}, so taking ${usd(-change)} out would leave it below zero.`,
        `The lowest INITIAL_CAPITAL it can take is ${usd(roundUsd(recorded.amount - saved.balance))}; for a fresh paper account, give the daemon a new database.`,
      );
    }
  }
  await tx.paperAccount.save(wallet, saved.state, []);
  // Flat, the wallet is the equity the peak was measured on, and the peak scales with it: a drawdown under way stays as
  // deep in percent, neither wiped nor diluted by a deposit nor deepened by a withdrawal. With a position open (only a
  // deposit gets here) the open P&L is not known at start: the deposit is added to the peak, which can only make the
  // drawdown under way look smaller, never trip the switch. A wallet that held nothing gives no scale.
  if (active.length > 0) await movePeakForTransfer(tx.state, (peak) => peak + change);
  else if (saved.balance > 0) await movePeakForTransfer(tx.state, (peak) => (peak * wallet) / saved.balance);
  else await restartFooting(tx.state);
  await moveBreakerDay(tx.state, change);
  await tx.dailyPerformance.transfer(utcDay(now), change);
  const transfers = [...(recorded.transfers ?? []), { at: now.toISOString(), amount: change }];
  await tx.state.put(FUNDING_KEY, { amount: initialCapital, transfers } satisfies PaperFunding);
  return (
    `${from}: ${usd(Math.abs(change))} was ${change > 0 ? 'paid into' : 'taken out of'} the paper wallet, which holds ${usd(wallet)} now ` +
    `(what it made or lost before stays). Today's starting capital, on which the daily loss limit is measured, and the drawdown peak move with it, and /shadows compares the accounts from now on.`
  );
}
