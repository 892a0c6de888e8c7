// The owner's cap on what the AI calls may cost in one UTC month (AI_MONTHLY_BUDGET_USD), so that a bug or a price
// change cannot run up the bill. It reads the spend the decisions table recorded, so it holds across restarts; the
// owner is told once per month when it is reached, and the month it was told is kept in the engine state for the same
// reason.
import type { TradingEvent } from '../../../domain/events.js';
import { startOfNextUtcMonth } from '../../../domain/time.js';
import type { Clock } from '../../../ports/clock.js';
import type { Logger } from '../../../ports/logger.js';
import type { Notifier } from '../../../ports/notifier.js';
import type { TradingStateRepository } from '../../../ports/store.js';

const ANNOUNCED_KEY = 'ai-budget-announced';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Whether a paid AI call may be made now, and when not, why, in words for the vote's record. */
export type BudgetCheck = { readonly open: true } | { readonly open: false; readonly reason: string };

/** What a decorator asks before a paid call; the budget below, or a stand-in in a test. */
export interface SpendingGate {
  check(): Promise<BudgetCheck>;
}

export interface AiBudgetOptions {
  /** The most this UTC month's AI calls may cost (USD); 0: no cap, and nothing is ever read. */
  readonly limitUsd: number;
  readonly clock: Clock;
  /** What the AI calls of the UTC month of `now` have cost so far, as recorded. */
  readonly spentThisMonth: (now: Date) => Promise<number>;
  readonly notifier: Notifier;
  readonly state: TradingStateRepository;
  readonly logger: Logger;
}

const OPEN: BudgetCheck = { open: true };

/** `2025-11`: the month a notice was sent for. */
function monthOf(time: Date): string {
  return time.toISOString().slice(0, 7);
}

const usd = (value: number): string => `$${value.toFixed(2)}`;

export class AiBudget implements SpendingGate {
  private readonly logger: Logger;
  /** One read of the spend serves every check made while it runs: a scan asks many models at once. */
  private reading: Promise<number> | undefined;
  /** The month and budget this process has told the owner about (or found told in the engine state). */
  private announced: string | undefined;

  constructor(private readonly options: AiBudgetOptions) {
    if (!Number.isFinite(options.limitUsd) || options.limitUsd < 0) throw new RangeError(`an AI budget must be a number from 0, got ${options.limitUsd}`);
    this.logger = options.logger.child({ module: 'ai-budget' });
  }

  /** False with a budget of 0, which means no cap: the panel then needs no gate at all. */
  get capped(): boolean {
    return this.options.limitUsd > 0;
  }

  async check(): Promise<BudgetCheck> {
    if (!this.capped) return OPEN;
    const now = this.options.clock.now();
    const resumesAt = startOfNextUtcMonth(now);
    let spent: number;
    try {
      spent = await this.spent(now);
    } catch (error) {
      // A spend that cannot be read cannot be kept under the cap, and calls made now might not be recorded either.
      this.logger.warn({ error: String(error) }, 'AI spend could not be read; no AI call until it can');
      return { open: false, reason: 'this month\'s AI spend could not be read, so no AI call is made until it can (AI_MONTHLY_BUDGET_USD)' };
    }
    const limit = this.options.limitUsd;
    if (spent < limit) return OPEN;
    await this.announce({ type: 'ai_budget_reached', at: now, budgetUsd: limit, spentUsd: spent, resumesAt });
    const resumes = `${resumesAt.getUTCDate()} ${MONTHS[resumesAt.getUTCMonth()]} (UTC)`;
    return { open: false, reason: `monthly AI budget of ${usd(limit)} reached (${usd(spent)} spent); AI calls resume on ${resumes}` };
  }

  private spent(now: Date): Promise<number> {
    this.reading ??= this.options.spentThisMonth(now).finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async announce(event: Extract<TradingEvent, { type: 'ai_budget_reached' }>): Promise<void> {
    // Once a month for each budget: an owner who raised it after the first notice hears when the new one runs out too.
    const told = `${monthOf(event.at)} at ${event.budgetUsd}`;
    if (this.announced === told) return;
    // Taken before the first await: the many checks of one scan announce once.
    this.announced = told;
    const { state, notifier } = this.options;
    try {
      if ((await state.get(ANNOUNCED_KEY)) === told) return;
      await notifier.notify(event);
    } catch (error) {
      // Not told: a later check tries again. The calls stay stopped either way.
      this.announced = undefined;
      this.logger.warn({ error: String(error) }, 'AI budget notice could not be sent');
      return;
    }
    this.logger.warn({ budgetUsd: event.budgetUsd, spentUsd: event.spentUsd, resumesAt: event.resumesAt.toISOString() }, 'monthly AI budget reached; no AI calls until next month');
    await state.put(ANNOUNCED_KEY, told).catch((error: unknown) => this.logger.warn({ error: String(error) }, 'AI budget notice could not be marked sent; a restart may send it again'));
  }
}
