// Says, in words a phone shows, that the figures on the page are no longer live: the daemon's stream was lost, the daemon
// cannot read its open positions (its database), or the login session ended (then nothing will come back until the owner
// logs in again).
import { useLiveState } from '../context.js';

const utcClock = (at: Date): string => `${at.toISOString().slice(11, 16)} UTC`;

/** Back to the login form: the page asks for the session again on load. */
export const logInAgain = (): void => window.location.reload();

function SessionEnded() {
  return (
    <p class="banner" role="alert" data-testid="session-ended">
      Your session has ended: the figures below are not live.{' '}
      <button class="primary" onClick={logInAgain} data-testid="log-in-again">
        Log in again
      </button>
    </p>
  );
}

export function ConnectionBanner() {
  const live = useLiveState();
  if (live.sessionEnded) return <SessionEnded />;
  if (live.connected || !live.lostAt) return null;
  if (live.lostBecause === 'read') {
    return (
      <p class="banner" role="alert" data-testid="connection-lost">
        The daemon cannot read its open positions since {utcClock(live.lostAt)}: the figures below are not live.
      </p>
    );
  }
  return (
    <p class="banner" role="alert" data-testid="connection-lost">
      Connection lost since {utcClock(live.lostAt)}: the figures below are not live. Trying to reconnect…
    </p>
  );
}
