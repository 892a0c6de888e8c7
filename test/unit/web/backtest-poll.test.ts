// The Backtests page's poll of a running backtest after a failed look: lost for good after a daemon restart (the run
// and the login live in its memory), asked again otherwise.
import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../../src/web/api.js';
import { lostRun } from '../../../src/web/pages/backtest-poll.js';

describe('a failed look at a running backtest', () => {
  it('when the run is unknown or the login is gone, then the run is lost and the page says to start it again', () => {
    expect(lostRun(new ApiFailure(404, 'no backtest bt-1'))).toMatch(/restarted while it ran; start it again/);
    expect(lostRun(new ApiFailure(401, 'log in first'))).toMatch(/logged you out\); log in and start it again/);
  });

  it('when the daemon does not answer or fails for a moment, then the page asks again', () => {
    expect(lostRun(new TypeError('Failed to fetch'))).toBeUndefined();
    expect(lostRun(new ApiFailure(503, 'starting'))).toBeUndefined();
  });
});
