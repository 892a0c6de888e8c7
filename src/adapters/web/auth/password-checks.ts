// How many password checks run at once. Each costs 32 MiB and about a tenth of a second on Node's few worker threads,
// which the daemon's own file and DNS work shares: a guesser with many addresses gets each of them a try or two under
// the login limit, and must not turn that into checks without end. Beyond the few that wait, a login is turned away
// at once (before its address is charged a guess), rather than queued for as long as the guessing lasts.
import pLimit, { type LimitFunction } from 'p-limit';

export class PasswordChecks {
  private readonly limit: LimitFunction;

  constructor(
    private readonly atOnce = 2,
    private readonly waiting = 8,
  ) {
    this.limit = pLimit(atOnce);
  }

  /** True when `atOnce` checks are running and `waiting` more wait for them: the next login is turned away. */
  busy(): boolean {
    return this.limit.activeCount + this.limit.pendingCount >= this.atOnce + this.waiting;
  }

  /** Runs the check once one of the `atOnce` places is free. */
  run<T>(check: () => Promise<T>): Promise<T> {
    return this.limit(check);
  }
}
