import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/load-config.js';
import { decryptSecret, encryptSecret, resolveMasterKey } from '../../../src/config/secrets.js';

const MASTER_KEY = 'correct horse battery staple 42';
const OTHER_KEY = 'a different master key entirely';
const SECRET = 'placeholder-claude-key-for-tests';

/** Every message a failed decryption may show, checked against the secret and every piece of the value. */
function expectNothingLeaked(message: string, value: string): void {
  expect(message).not.toContain(SECRET);
  for (const part of value.split(':').filter((p) => p.length > 3)) expect(message).not.toContain(part);
}

function failureOf(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the action to throw');
}

/** Replaces one base64url character of part `index` (0 = salt ... 3 = ciphertext) with another valid one. */
function tamper(value: string, index: number): string {
  const parts = value.split(':');
  const target = parts[index + 2] ?? '';
  const flipped = target[0] === 'A' ? 'B' : 'A';
  parts[index + 2] = flipped + target.slice(1);
  return parts.join(':');
}

describe('encrypting a secret for .env', () => {
  it('gives an enc:v1 value of salt, iv, tag and ciphertext that decrypts back to the secret', () => {
    const value = encryptSecret(SECRET, MASTER_KEY);

    const parts = value.split(':');
    expect(parts.slice(0, 2)).toEqual(['enc', 'v1']);
    // 16-byte salt, 12-byte iv and 16-byte tag are 22, 16 and 22 base64url characters without padding.
    expect(parts.slice(2, 5).map((p) => p.length)).toEqual([22, 16, 22]);
    expect(Buffer.from(parts[5] ?? '', 'base64url')).toHaveLength(Buffer.byteLength(SECRET));
    expect(value).not.toContain(SECRET);
    expect(decryptSecret(value, MASTER_KEY)).toBe(SECRET);
  });

  it('when the same secret is encrypted twice, then the values differ (fresh salt and iv) and both decrypt', () => {
    const first = encryptSecret(SECRET, MASTER_KEY);
    const second = encryptSecret(SECRET, MASTER_KEY);

    expect(first).not.toBe(second);
    expect([decryptSecret(first, MASTER_KEY), decryptSecret(second, MASTER_KEY)]).toEqual([SECRET, SECRET]);
  });

  it('keeps non-ASCII text intact', () => {
    const plain = 'pässwörd-€-🔑';
    expect(decryptSecret(encryptSecret(plain, MASTER_KEY), MASTER_KEY)).toBe(plain);
  });

  it('refuses an empty secret, an already encrypted value and a master key shorter than 16 characters', () => {
    expect(() => encryptSecret('', MASTER_KEY)).toThrow(/nothing to encrypt/);
    expect(() => encryptSecret(encryptSecret(SECRET, MASTER_KEY), MASTER_KEY)).toThrow(/already encrypted/);
    expect(() => encryptSecret(SECRET, 'fifteen chars!!')).toThrow(/at least 16 characters/);
  });
});

describe('decrypting refuses, without revealing anything', () => {
  const value = encryptSecret(SECRET, MASTER_KEY);

  it('when the master key is wrong, then it says so', () => {
    const error = failureOf(() => decryptSecret(value, OTHER_KEY));
    expect(error.message).toBe('cannot be decrypted with this MASTER_KEY (wrong key or damaged value)');
    expectNothingLeaked(error.message, value);
  });

  it.each([
    ['salt', 0],
    ['iv', 1],
    ['tag', 2],
    ['ciphertext', 3],
  ])('when one character of the %s is changed, then authentication fails', (_name, index) => {
    const damaged = tamper(value, index);
    expect(damaged).not.toBe(value);

    const error = failureOf(() => decryptSecret(damaged, MASTER_KEY));

    expect(error.message).toMatch(/wrong key or damaged value/);
    expectNothingLeaked(error.message, damaged);
  });

  it('when the master key is missing, then it names MASTER_KEY and MASTER_KEY_FILE', () => {
    for (const missing of [undefined, '']) {
      expect(failureOf(() => decryptSecret(value, missing)).message).toBe('is encrypted but MASTER_KEY / MASTER_KEY_FILE is not set');
    }
  });

  it('when the version is unknown, then it says which version this build reads', () => {
    const future = value.replace('enc:v1:', 'enc:v9:');
    const error = failureOf(() => decryptSecret(future, MASTER_KEY));
    expect(error.message).toMatch(/format this build does not know .*enc:v1/);
    expectNothingLeaked(error.message, future);
  });

  it('when parts are missing or not base64url, then the value is called malformed', () => {
    const truncated = value.split(':').slice(0, 5).join(':');
    const garbled = value.replace(/:([^:]+)$/, ':not*base64');
    for (const broken of [truncated, garbled]) {
      const error = failureOf(() => decryptSecret(broken, MASTER_KEY));
      expect(error.message).toMatch(/not a well-formed encrypted value/);
      expectNothingLeaked(error.message, broken);
    }
  });
});

describe('the configuration loader with decryption', () => {
  it('when CLAUDE_API_KEY holds an enc:v1 value and MASTER_KEY is right, then the config holds the plain key', () => {
    const env = { CLAUDE_API_KEY: encryptSecret(SECRET, MASTER_KEY), MASTER_KEY };

    const config = loadConfig({ env, decryptSecret });

    expect(config.ai.claude?.apiKey).toBe(SECRET);
    expect(config.secrets).toContain(SECRET);
  });

  it('when MASTER_KEY comes from MASTER_KEY_FILE, then it is used too', () => {
    const env = { CLAUDE_API_KEY: encryptSecret(SECRET, MASTER_KEY), MASTER_KEY_FILE: '/run/secrets/master_key' };
    const files: Record<string, string> = { '/run/secrets/master_key': `${MASTER_KEY}\n` };

    const config = loadConfig({ env, decryptSecret, readFile: (path) => files[path] ?? '' });

    expect(config.ai.claude?.apiKey).toBe(SECRET);
  });

  it('when MASTER_KEY is wrong, then start-up stops with one problem line that names the variable and not the secret', () => {
    const encrypted = encryptSecret(SECRET, MASTER_KEY);

    const error = failureOf(() => loadConfig({ env: { CLAUDE_API_KEY: encrypted, MASTER_KEY: OTHER_KEY }, decryptSecret }));

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'CLAUDE_API_KEY: cannot be decrypted with this MASTER_KEY (wrong key or damaged value)',
    ]);
    expectNothingLeaked(error.message, encrypted);
    expect(error.message).not.toContain(OTHER_KEY);
  });
});

describe('finding the master key for the secrets command', () => {
  it('reads MASTER_KEY_FILE and drops exactly one trailing newline', () => {
    const readFile = (): string => 'key-with-trailing-space \n';
    expect(resolveMasterKey({ env: { MASTER_KEY_FILE: '/k' }, readFile })).toBe('key-with-trailing-space ');
  });

  it('refuses MASTER_KEY and MASTER_KEY_FILE together, as the daemon does', () => {
    expect(() => resolveMasterKey({ env: { MASTER_KEY: MASTER_KEY, MASTER_KEY_FILE: '/k' }, readFile: () => 'x' })).toThrow(
      /set both MASTER_KEY and MASTER_KEY_FILE/,
    );
  });

  it('gives undefined when neither is set', () => {
    expect(resolveMasterKey({ env: {} })).toBeUndefined();
  });
});

describe('npm run secrets -- encrypt', () => {
  const repoRoot = resolve(import.meta.dirname, '../../..');
  const workDir = mkdtempSync(join(tmpdir(), 'secrets-cli-'));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  /** Runs the real command in an empty folder (no .env), with only the variables given. */
  function runCli(args: string[], env: Record<string, string>, stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const loader = pathToFileURL(join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href;
    const child = spawn(process.execPath, ['--import', loader, join(repoRoot, 'src/cli/secrets.ts'), ...args], {
      cwd: workDir,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(stdin);
    return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
  }

  it('when a secret is piped in with a newline, then it prints one enc:v1 line that decrypts to the secret without the newline', async () => {
    const keyFile = join(workDir, 'master_key');
    writeFileSync(keyFile, `${MASTER_KEY}\n`);

    const result = await runCli(['encrypt'], { MASTER_KEY_FILE: keyFile }, `${SECRET}\n`);

    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(decryptSecret(lines[0] ?? '', MASTER_KEY)).toBe(SECRET);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it('when no master key is set, then it fails and prints nothing on stdout', async () => {
    const result = await runCli(['encrypt'], {}, SECRET);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/MASTER_KEY \/ MASTER_KEY_FILE is not set/);
  });

  it('when asked to decrypt, then it refuses and explains that only the daemon decrypts', async () => {
    const result = await runCli(['decrypt'], { MASTER_KEY }, encryptSecret(SECRET, MASTER_KEY));

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/no decrypt command/);
  });
});
