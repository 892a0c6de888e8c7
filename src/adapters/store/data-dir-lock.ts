// PGlite is one connection inside one process, and its advisory locks mean nothing to another process: two daemons
// opening the same data directory would corrupt it. A lock file holding the owner's pid keeps the second one out.
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const LOCK_FILE_NAME = 'daemon.lock';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `data directory ${dataDir} is in use by process ${pid} (lock file ${join(dataDir, LOCK_FILE_NAME)}); ` +
        'stop that process first, or delete the lock file if that process is not this daemon',
    );
    this.name = 'DataDirLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(path: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(path, 'utf8')).trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Written aside and hard-linked into place, so the lock file never exists without its pid in it. */
async function createExclusive(path: string, pid: number): Promise<boolean> {
  const draft = `${path}.${pid}.tmp`;
  await writeFile(draft, `${pid}\n`);
  try {
    await link(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(draft).catch(() => undefined);
  }
}

export interface DataDirLock {
  readonly path: string;
  release(): Promise<void>;
}

/**
 * Takes `<dataDir>/daemon.lock`. Refuses while a live process holds it (this one included: opening the same
 * directory twice in one process is just as harmful); takes over a lock whose process is gone. Two daemons
 * starting in the same instant over a stale lock could both take over; that needs a crash and a double start.
 */
export async function lockDataDir(dataDir: string, pid: number = process.pid): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE_NAME);
  // Two rounds: the second follows the removal of a stale lock, and loses cleanly if another process won the race.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await createExclusive(path, pid)) {
      return {
        path,
        release: async () => {
          if ((await readOwner(path)) === pid) await unlink(path).catch(() => undefined);
        },
      };
    }
    const owner = await readOwner(path);
    if (owner !== undefined && isAlive(owner)) throw new DataDirLockedError(dataDir, owner);
    await unlink(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
  const owner = (await readOwner(path)) ?? 0;
  throw new DataDirLockedError(dataDir, owner);
}
