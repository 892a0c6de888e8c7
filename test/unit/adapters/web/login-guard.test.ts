import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/adapters/clock/index.js';
import { LoginGuard } from '../../../../src/adapters/web/auth/login-guard.js';

const start = () => new ManualClock(new Date('2025-10-10T21:25:00Z'));

async function spend(guard: LoginGuard, addresses: number, each: number): Promise<void> {
  for (let address = 0; address < addresses; address++) for (let attempt = 0; attempt < each; attempt++) await guard.attempt(`10.0.0.${address}`);
}

describe('login guard', () => {
  it('when one address keeps sending guesses after its block, then the shared ceiling is not spent and the owner elsewhere still gets a password check', async () => {
    const guard = new LoginGuard(start(), { perAddress: 5, overall: 50 });
    const verdicts = [];
    for (let attempt = 0; attempt < 60; attempt++) verdicts.push(await guard.attempt('203.0.113.7'));

    expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(5);
    expect(await guard.attempt('198.51.100.20')).toEqual({ allowed: true });
  });

  it('when many addresses have spent the shared ceiling, then an address that never failed still gets its password checked', async () => {
    const guard = new LoginGuard(start(), { perAddress: 5, overall: 12 });
    await spend(guard, 4, 3);

    expect(await guard.attempt('198.51.100.20')).toEqual({ allowed: true });
  });

  it('when the shared ceiling is spent, then every address, new or not, gets only its first two attempts in the window', async () => {
    const guard = new LoginGuard(start(), { perAddress: 5, overall: 12, underAttack: 2 });
    await spend(guard, 4, 3);

    const fresh = [];
    for (let attempt = 0; attempt < 4; attempt++) fresh.push((await guard.attempt('198.51.100.20')).allowed);
    const before = await guard.attempt('10.0.0.1');

    expect(fresh).toEqual([true, true, false, false]);
    expect(before.allowed).toBe(false);
  });

  it('when the shared ceiling is spent, then an address the owner logged in from before keeps its full allowance', async () => {
    const guard = new LoginGuard(start(), { perAddress: 5, overall: 12, underAttack: 2 });
    expect(await guard.attempt('192.0.2.8')).toEqual({ allowed: true });
    await guard.succeeded('192.0.2.8', true);
    await spend(guard, 4, 3);

    const verdicts = [];
    for (let attempt = 0; attempt < 6; attempt++) verdicts.push((await guard.attempt('192.0.2.8')).allowed);

    expect(verdicts).toEqual([true, true, true, true, true, false]);
  });

  it('when the read-only password logs in, then its address is not given the owner\'s full allowance under attack', async () => {
    const guard = new LoginGuard(start(), { perAddress: 5, overall: 12, underAttack: 2 });
    expect(await guard.attempt('192.0.2.9')).toEqual({ allowed: true });
    await guard.succeeded('192.0.2.9', false);
    await spend(guard, 4, 3);

    const verdicts = [];
    for (let attempt = 0; attempt < 3; attempt++) verdicts.push((await guard.attempt('192.0.2.9')).allowed);

    expect(verdicts).toEqual([true, true, false]);
  });

  it('when a refusal is made, then it says how long until the address may try again, and the clock passing that long lets it', async () => {
    const clock = start();
    const guard = new LoginGuard(clock, { perAddress: 2, overall: 50, windowSeconds: 600 });
    await guard.attempt('203.0.113.7');
    clock.advanceBy(60_000);
    await guard.attempt('203.0.113.7');

    const refused = await guard.attempt('203.0.113.7');
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 540 });
    clock.advanceBy(539_000);
    expect((await guard.attempt('203.0.113.7')).allowed).toBe(false);
    clock.advanceBy(1_000);

    expect(await guard.attempt('203.0.113.7')).toEqual({ allowed: true });
  });

  it('when the right passwords give their attempts back, then the shared ceiling opens again for addresses that have failed before', async () => {
    const guard = new LoginGuard(start(), { perAddress: 5, overall: 3, underAttack: 1 });
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) await guard.attempt(address);
    expect((await guard.attempt('10.0.0.3')).allowed).toBe(false);

    await guard.succeeded('10.0.0.1', false);

    expect(await guard.attempt('10.0.0.3')).toEqual({ allowed: true });
    expect((await guard.attempt('10.0.0.3')).allowed).toBe(false);
  });
});

describe('login guard against guessing from many addresses', () => {
  it('when the guesses come from one IPv6 /64, then they share one allowance, whatever the spelling; another /64 has its own', async () => {
    const guard = new LoginGuard(start(), { perAddress: 5, overall: 50 });
    const verdicts = [];
    for (let host = 1; host <= 6; host++) verdicts.push((await guard.attempt(`2001:db8:0:7::${host}`)).allowed);

    expect(verdicts).toEqual([true, true, true, true, true, false]);
    expect((await guard.attempt('2001:0db8:0000:0007:ffff:ffff:ffff:ffff')).allowed).toBe(false);
    expect((await guard.attempt('2001:db8:0:8::1')).allowed).toBe(true);
    // An IPv4 address written as IPv6 is the IPv4 address.
    for (let attempt = 0; attempt < 5; attempt++) await guard.attempt('198.51.100.9');
    expect((await guard.attempt('::ffff:198.51.100.9')).allowed).toBe(false);
  });

  it('when ten thousand addresses have failed in the window, then a new one is refused until the window frees places, but the owner\'s known address is not', async () => {
    const clock = start();
    const guard = new LoginGuard(clock, { perAddress: 5, overall: 50, underAttack: 2 });
    await guard.attempt('192.0.2.1');
    await guard.succeeded('192.0.2.1', true);
    for (let address = 0; address < 10_000; address++) await guard.attempt(`10.${address >> 16}.${(address >> 8) & 255}.${address & 255}`);

    const stranger = await guard.attempt('198.51.100.20');
    const owner = await guard.attempt('192.0.2.1');
    clock.advanceBy(15 * 60_000 + 1);
    const later = await guard.attempt('198.51.100.20');

    expect(stranger).toEqual({ allowed: false, retryAfterSeconds: 900 });
    expect(owner).toEqual({ allowed: true });
    expect(later).toEqual({ allowed: true });
  });
});
