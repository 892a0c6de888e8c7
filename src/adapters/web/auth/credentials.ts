// Who may log in to the dashboard: the owner (DASHBOARD_PASSWORD, or a password made on the first start) and an
// optional read-only viewer (DASHBOARD_READONLY_PASSWORD). Only scrypt hashes are kept, in memory and on disk.
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { generatePassword, hashPassword, isPasswordHash, type PasswordHash } from './password-hash.js';

export type Role = 'owner' | 'viewer';

export interface DashboardCredentials {
  readonly owner: PasswordHash;
  readonly viewer?: PasswordHash;
}

export interface CredentialOptions {
  readonly ownerPassword?: string;
  readonly readonlyPassword?: string;
  /** Folder of the hashed first-start password. */
  readonly dataDir: string;
  /** Shows a password made on the first start, once; it is never shown or stored in clear again. */
  readonly announce: (password: string, file: string) => void;
}

export function ownerHashFile(dataDir: string): string {
  return join(dataDir, 'dashboard', 'owner-password.hash');
}

async function readHash(file: string): Promise<PasswordHash | undefined> {
  try {
    const text = (await readFile(file, 'utf8')).trim();
    if (!isPasswordHash(text)) throw new Error(`${file} does not hold a password hash; delete it to have a new password made`);
    return text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function writePrivately(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
}

export async function resolveCredentials(options: CredentialOptions): Promise<DashboardCredentials> {
  const viewer = options.readonlyPassword === undefined ? undefined : await hashPassword(options.readonlyPassword);
  if (options.ownerPassword !== undefined) return { owner: await hashPassword(options.ownerPassword), ...(viewer ? { viewer } : {}) };
  const file = ownerHashFile(options.dataDir);
  const stored = await readHash(file);
  if (stored) return { owner: stored, ...(viewer ? { viewer } : {}) };
  const password = generatePassword();
  await writePrivately(file, `${await hashPassword(password)}\n`);
  options.announce(password, file);
  return { owner: (await readHash(file)) as PasswordHash, ...(viewer ? { viewer } : {}) };
}
