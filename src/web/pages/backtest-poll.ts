// What the Backtests page makes of a failed look at a running backtest. Runs and logins live in the daemon's memory:
// after a restart the run is gone (404) or this page's login is (401), and waiting for it would never end. Anything
// else (the daemon not answering yet, a network error) is asked again at the next poll.
import { ApiFailure } from '../api.js';

/** Why the run is lost for good, or undefined when the next poll should ask again. */
export function lostRun(error: unknown): string | undefined {
  if (!(error instanceof ApiFailure)) return undefined;
  if (error.status === 404) return 'the daemon restarted while it ran; start it again';
  if (error.status === 401) return 'the daemon restarted while it ran (and logged you out); log in and start it again';
  return undefined;
}
