// Password checks are costly: only a few run at once, a few more wait, and past that a login is turned away.
import { describe, expect, it } from 'vitest';
import { PasswordChecks } from '../../../../src/adapters/web/auth/password-checks.js';

describe('password checks', () => {
  it('when two run and eight wait, then the next login is turned away; once they end, logins are taken again', async () => {
    const checks = new PasswordChecks(2, 8);
    const releases: (() => void)[] = [];
    let running = 0;
    let most = 0;
    const check = () =>
      new Promise<void>((resolve) => {
        running += 1;
        most = Math.max(most, running);
        releases.push(() => {
          running -= 1;
          resolve();
        });
      });
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const started = Array.from({ length: 10 }, () => checks.run(check));
    await turn();

    expect(checks.busy()).toBe(true);
    for (let ended = 0; ended < 10; ended++) {
      expect(releases.length).toBeGreaterThan(0);
      releases.shift()?.();
      await turn();
    }
    await Promise.all(started);
    expect(most).toBe(2);
    expect(checks.busy()).toBe(false);
  });
});
