// A read that failed, said once and plainly: what was read before stays on the page, marked as not refreshed.
import type { Loaded } from '../hooks.js';
import { logInAgain } from './connection-banner.js';

export function LoadProblem({ loaded, what }: { loaded: Loaded<unknown>; what: string }) {
  if (!loaded.error) return null;
  const reason = loaded.error.replace(/\.?$/, '.');
  const kept = loaded.data !== undefined;
  return (
    <p class="error" data-testid="load-problem">
      {kept ? `Could not refresh the ${what}: ${reason} Showing the ${what} as last read.` : `Could not read the ${what}: ${reason}`}
      {loaded.sessionEnded && (
        <>
          {' '}
          <button class="primary" onClick={logInAgain} data-testid="log-in-again">
            Log in again
          </button>
        </>
      )}
    </p>
  );
}
