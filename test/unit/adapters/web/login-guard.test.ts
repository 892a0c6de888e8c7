import { describe, expect, it } from 'vitest';
import { LoginGuard } from '../../../../src/adapters/web/auth/login-guard.js';

describe('login guard', () => {
  it('when one address keeps sending guesses after its block, then the shared ceiling is not spent and the owner elsewhere still gets a password check', async () => {
    const guard = new LoginGuard({ perAddress: 5, overall: 50 });
    const verdicts = [];
    for (let attempt = 0; attempt < 60; attempt++) verdicts.push(await guard.attempt('203.0.113.7'));

    expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(5);
    expect(await guard.attempt('198.51.100.20')).toEqual({ allowed: true });
  });

  it('when many addresses each make a few guesses, then the shared ceiling still closes the login for everyone', async () => {
    const guard = new LoginGuard({ perAddress: 5, overall: 12 });
    for (let address = 0; address < 4; address++) for (let attempt = 0; attempt < 3; attempt++) await guard.attempt(`10.0.0.${address}`);

    const refused = await guard.attempt('10.0.0.99');
    expect(refused.allowed).toBe(false);
  });

  it('when the shared ceiling refuses an address, then that refusal does not count against the address itself', async () => {
    const guard = new LoginGuard({ perAddress: 2, overall: 3 });
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) await guard.attempt(address);
    for (let attempt = 0; attempt < 4; attempt++) expect((await guard.attempt('10.0.0.4')).allowed).toBe(false);

    // Two right passwords give their points back to the ceiling: the address it alone refused still has both of its own.
    for (const address of ['10.0.0.1', '10.0.0.2']) await guard.succeeded(address, false);
    expect(await guard.attempt('10.0.0.4')).toEqual({ allowed: true });
    expect(await guard.attempt('10.0.0.4')).toEqual({ allowed: true });
    expect((await guard.attempt('10.0.0.4')).allowed).toBe(false);
  });
});
