import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/adapters/clock/index.js';
import { MAX_SESSIONS_PER_ROLE, SessionStore } from '../../../../src/adapters/web/auth/sessions.js';

const HOUR = 3_600_000;

describe('dashboard sessions', () => {
  it('when the read-only password logs in many times over, then the owner stays logged in and only the oldest read-only sessions go', () => {
    const sessions = new SessionStore(new ManualClock(new Date('2025-10-10T21:00:00Z')), 12 * HOUR);
    const owner = sessions.create('owner');
    const viewers = Array.from({ length: MAX_SESSIONS_PER_ROLE * 3 }, () => sessions.create('viewer'));

    expect(sessions.get(owner.token)?.role).toBe('owner');
    expect(viewers.filter((viewer) => sessions.get(viewer.token) !== undefined)).toHaveLength(MAX_SESSIONS_PER_ROLE);
    expect(sessions.get(viewers.at(-1)?.token)).toBeDefined();
    expect(sessions.get(viewers[0]?.token)).toBeUndefined();
  });

  it('when the owner logs in more often than the limit, then the owner\'s oldest session goes and the newest works', () => {
    const sessions = new SessionStore(new ManualClock(new Date('2025-10-10T21:00:00Z')), 12 * HOUR);
    const logins = Array.from({ length: MAX_SESSIONS_PER_ROLE + 1 }, () => sessions.create('owner'));

    expect(sessions.get(logins[0]?.token)).toBeUndefined();
    expect(sessions.get(logins[1]?.token)?.role).toBe('owner');
    expect(sessions.get(logins.at(-1)?.token)?.role).toBe('owner');
  });

  it('when a session has outlived its lifetime, then it opens nothing', () => {
    const clock = new ManualClock(new Date('2025-10-10T21:00:00Z'));
    const sessions = new SessionStore(clock, HOUR);
    const owner = sessions.create('owner');
    clock.advanceBy(HOUR);
    expect(sessions.get(owner.token)).toBeUndefined();
  });
});
