// PGlite is one connection inside one process, and its advisory locks mean nothing to another process: two daemons
// opening the same data directory would corrupt it. A lock file naming the owner keeps the second one out.
//
// A pid alone does not name a process for long: in a container the daemon gets the same pid on every start, so after
// a crash (OOM kill, kill -9, host reboot) the stale lock names the new daemon's own pid. Where Linux's /proc shows
// this process's pid namespace, the lock also records the owner's start time and the boot it started in, and is live
// only while a process with that pid, start time and boot exists.
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const LOCK_FILE_NAME = 'daemon.lock';

const BOOT_ID_PATH = '/proc/sys/kernel/random/boot_id';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly byThisProcess = false,
  ) {
    const holder = byThisProcess ? `process ${pid}, this very process, which already has it open` : `process ${pid}`;
    const advice = byThisProcess
      ? 'close the store that has it open before opening it again'
      : 'stop that process first, or delete the lock file if that process is not this daemon';
    super(`data directory ${dataDir} is in use by ${holder} (lock file ${join(dataDir, LOCK_FILE_NAME)}); ${advice}`);
    this.name = 'DataDirLockedError';
  }
}

/** Who holds a lock. The start time (clock ticks after boot) and boot id are both there or both missing. */
interface Owner {
  readonly pid: number;
  readonly startTime?: string;
  readonly bootId?: string;
}

/** What this process can tell about itself and about other processes. */
interface Here {
  readonly self: Owner;
  /**
   * Whether /proc/<pid> names the processes of this pid namespace. It does not under `unshare --pid` without a
   * remounted /proc, where /proc/<our pid> is some other process of the parent namespace.
   */
  readonly procIsOurs: boolean;
}

/**
 * The data directories this process holds. Where a lock can be judged by its pid only, one naming this process's pid
 * was left by a crashed predecessor that had the same pid, unless the directory is listed here: then it is a second
 * open within this process, and refused.
 */
const heldHere = new Set<string>();

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    // No /proc (macOS, a sandbox) or the process is gone: either way, nothing to learn from it.
    return undefined;
  }
}

/** Field 1 (pid) and field 22 (start time) of /proc/<pid>/stat; the name in field 2 may hold spaces and parentheses. */
function parseStat(text: string): { pid: number; startTime: string } | undefined {
  const nameEnd = text.lastIndexOf(')');
  if (nameEnd < 0) return undefined;
  const pid = Number.parseInt(text, 10);
  const startTime = text.slice(nameEnd + 2).split(' ')[19];
  return Number.isInteger(pid) && startTime !== undefined && /^\d+$/.test(startTime) ? { pid, startTime } : undefined;
}

async function startTimeOf(pid: number): Promise<string | undefined> {
  const stat = await readOptional(`/proc/${pid}/stat`);
  return stat === undefined ? undefined : parseStat(stat)?.startTime;
}

async function lookAround(): Promise<Here> {
  const stat = await readOptional('/proc/self/stat');
  const self = stat === undefined ? undefined : parseStat(stat);
  const bootId = (await readOptional(BOOT_ID_PATH))?.trim();
  const procIsOurs = self?.pid === process.pid;
  const identified = procIsOurs && self !== undefined && bootId !== undefined && bootId !== '';
  return {
    self: identified ? { pid: process.pid, startTime: self.startTime, bootId } : { pid: process.pid },
    procIsOurs,
  };
}

/**
 * The pid alone on the first line, as the previous version wrote the whole file: that version reads the first number,
 * so a daemon rolled back to it still sees who holds the directory.
 */
function lockText(owner: Owner): string {
  const identity = owner.startTime === undefined ? '' : `start-time=${owner.startTime}\nboot-id=${owner.bootId}\n`;
  return `${owner.pid}\n${identity}`;
}

function parseLock(text: string): Owner | undefined {
  const [first = '', ...rest] = text.split('\n');
  const pid = Number.parseInt(first.trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const fields = new Map(
    rest.map((line) => line.trim()).filter((line) => line.includes('=')).map((line) => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)] as const;
    }),
  );
  const startTime = fields.get('start-time');
  const bootId = fields.get('boot-id');
  return startTime && bootId ? { pid, startTime, bootId } : { pid };
}

async function readLock(path: string): Promise<{ text: string; owner: Owner | undefined } | undefined> {
  try {
    const text = await readFile(path, 'utf8');
    return { text, owner: parseLock(text) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Called only for a directory this process does not hold. */
async function isLive(owner: Owner, here: Here): Promise<boolean> {
  if (owner.bootId !== undefined && here.self.bootId !== undefined && owner.bootId !== here.self.bootId) {
    // Written before a reboot: every process of that boot is gone.
    return false;
  }
  if (owner.startTime !== undefined && here.self.bootId !== undefined && here.procIsOurs) {
    return (await startTimeOf(owner.pid)) === owner.startTime;
  }
  // A lock of the previous version, or no /proc to ask: only the pid to go by.
  if (owner.pid === process.pid) return false;
  return pidExists(owner.pid);
}

/** Written aside and hard-linked into place, so the lock file never exists without its owner in it. */
async function createExclusive(path: string, text: string): Promise<boolean> {
  const draft = `${path}.${process.pid}.tmp`;
  await writeFile(draft, text);
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

/** Opens and releases in this process take turns, so none judges the registry or a lock file halfway through another's change. */
let turn: Promise<unknown> = Promise.resolve();

function inTurn<T>(work: () => Promise<T>): Promise<T> {
  const result = turn.then(work);
  turn = result.catch(() => undefined);
  return result;
}

/**
 * Takes `<dataDir>/daemon.lock`. Refuses while a live process holds it, and while this process holds it (opening
 * the same directory twice in one process is just as harmful); takes over a lock whose process is gone. Two daemons
 * starting in the same instant over a stale lock could both take over; that needs a crash and a double start.
 */
export function lockDataDir(dataDir: string): Promise<DataDirLock> {
  return inTurn(() => takeLock(dataDir));
}

async function takeLock(dataDir: string): Promise<DataDirLock> {
  const directory = resolve(dataDir);
  if (heldHere.has(directory)) throw new DataDirLockedError(dataDir, process.pid, true);
  await mkdir(directory, { recursive: true });
  const path = join(directory, LOCK_FILE_NAME);
  const here = await lookAround();
  const text = lockText(here.self);
  // Two rounds: the second follows the removal of a stale lock, and loses cleanly if another process won the race.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await createExclusive(path, text)) {
      heldHere.add(directory);
      let released = false;
      return {
        path,
        release: () =>
          inTurn(async () => {
            if (released) return;
            released = true;
            heldHere.delete(directory);
            // Someone who judged this process gone may have taken over: their lock stays.
            if ((await readLock(path))?.text === text) await unlink(path).catch(() => undefined);
          }),
      };
    }
    const found = await readLock(path);
    if (found?.owner !== undefined && (await isLive(found.owner, here))) throw new DataDirLockedError(dataDir, found.owner.pid);
    await unlink(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
  const owner = (await readLock(path))?.owner?.pid ?? 0;
  throw new DataDirLockedError(dataDir, owner);
}
