// Dashboard credentials: a password made once on the first start, kept only as a hash, never shown again.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ownerHashFile, resolveCredentials } from '../../../../src/adapters/web/auth/credentials.js';
import { verifyPassword } from '../../../../src/adapters/web/auth/password-hash.js';

let dir: string | undefined;

afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('dashboard credentials', () => {
  it('when no password is configured, then the first start makes one, shows it once, and stores only its hash (mode 600)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ltd-creds-'));
    const shown: string[] = [];

    const first = await resolveCredentials({ dataDir: dir, announce: (password) => shown.push(password) });
    const second = await resolveCredentials({ dataDir: dir, announce: (password) => shown.push(password) });

    expect(shown).toHaveLength(1);
    const password = shown[0] as string;
    expect(password.length).toBeGreaterThanOrEqual(20);
    const file = await readFile(ownerHashFile(dir), 'utf8');
    expect(file).not.toContain(password);
    expect((await stat(ownerHashFile(dir))).mode & 0o777).toBe(0o600);
    expect(await verifyPassword(password, first.owner)).toBe(true);
    expect(second.owner).toBe(first.owner);
    expect(await verifyPassword('something else', second.owner)).toBe(false);
  });

  it('when DASHBOARD_PASSWORD is set, then it is the owner password and nothing is written or shown', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ltd-creds-'));
    const shown: string[] = [];

    const credentials = await resolveCredentials({
      dataDir: dir,
      ownerPassword: 'the-owners-own-password',
      readonlyPassword: 'a-read-only-password',
      announce: (password) => shown.push(password),
    });

    expect(shown).toEqual([]);
    await expect(stat(ownerHashFile(dir))).rejects.toThrow();
    expect(await verifyPassword('the-owners-own-password', credentials.owner)).toBe(true);
    expect(await verifyPassword('a-read-only-password', credentials.viewer ?? '')).toBe(true);
    expect(await verifyPassword('a-read-only-password', credentials.owner)).toBe(false);
  });
});
