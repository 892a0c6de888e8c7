// The PGlite data-directory lock against real processes: daemons started as child processes, some of them in a pid
// namespace of their own (`unshare --pid`, as root), where every start gets the same pid, as in a container.
import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE_NAME, lockDataDir } from '../../../src/adapters/store/data-dir-lock.js';
import { idleProcess } from '../../support/idle-process.js';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const LOCK_MODULE = pathToFileURL(resolve('src/adapters/store/data-dir-lock.ts')).href;

/**
 * A daemon reduced to its lock. `crash`: takes the lock and is killed with SIGKILL; `hold`: takes it and keeps it
 * until its stdin closes. Prints its pid, the outcome and the lock file as it left it.
 */
const DAEMON = `
import { readFileSync } from 'node:fs';
const [lockModule, dataDir, mode] = process.argv.slice(2);
const { lockDataDir } = await import(lockModule);
console.log('pid=' + process.pid);
try {
  const lock = await lockDataDir(dataDir);
  console.log('lock=' + JSON.stringify(readFileSync(lock.path, 'utf8')));
  console.log('locked');
  if (mode === 'crash') process.kill(process.pid, 'SIGKILL');
  process.stdin.resume();
  process.stdin.on('end', () => lock.release().then(() => process.exit(0)));
} catch (error) {
  console.log('refused: ' + error.message);
}
`;

let root: string;
let daemonScript: string;
let dirs = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'data-dir-lock-'));
  daemonScript = join(root, 'daemon.mjs');
  await writeFile(daemonScript, DAEMON);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Created empty, so a case can write a lock file into it first. */
async function freshDir(): Promise<string> {
  dirs += 1;
  const dataDir = join(root, `data-${dirs}`);
  await mkdir(dataDir);
  return dataDir;
}

const lockFile = (dataDir: string): string => join(dataDir, LOCK_FILE_NAME);
const pidIn = (output: string): string | undefined => /pid=(\d+)/.exec(output)?.[1];
const lockIn = (output: string): string | undefined => {
  const text = /lock=(.*)/.exec(output)?.[1];
  return text === undefined ? undefined : (JSON.parse(text) as string);
};

/**
 * One start of a container: `sh` plays the init process (pid 1) and the daemon is its child, so every start gives the
 * daemon the same pid. `--mount-proc` gives the namespace its own /proc; without it /proc is the host's.
 */
async function startInContainer(dataDir: string, mode: 'crash' | 'hold', ownProc: boolean): Promise<string> {
  const command = `"${process.execPath}" --import ${TSX} "${daemonScript}" "${LOCK_MODULE}" "${dataDir}" ${mode} </dev/null; true`;
  const flags = ['--pid', '--fork', ...(ownProc ? ['--mount-proc'] : [])];
  const { stdout, stderr } = await promisify(execFile)('unshare', [...flags, 'sh', '-c', command], { encoding: 'utf8' });
  return `${stdout}${stderr}`;
}

/** A daemon in this pid namespace that holds the lock until it is stopped or killed. */
async function holdingDaemon(dataDir: string): Promise<{ pid: number; output: string; child: ChildProcessByStdio<Writable, Readable, null> }> {
  const child = spawn(process.execPath, ['--import', TSX, daemonScript, LOCK_MODULE, dataDir, 'hold'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdout.setEncoding('utf8');
  let output = '';
  for await (const text of child.stdout as AsyncIterable<string>) {
    output += text;
    if (/\n(locked|refused.*)\n/.test(output)) break;
  }
  expect(output).toMatch(/\nlocked\n/);
  return { pid: child.pid as number, output, child };
}

const bystander = idleProcess;

async function bootId(): Promise<string> {
  return (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
}

describe('data directory lock, after a crash', () => {
  it.each([
    ['the host /proc (the daemon goes by the pid alone)', false],
    ['its own /proc (the daemon also records its start time)', true],
  ])(
    'when a daemon in a container with %s was killed and starts again under the same pid, then it takes over its stale lock',
    async (_, ownProc) => {
      const dataDir = await freshDir();

      const crashed = await startInContainer(dataDir, 'crash', ownProc);
      const restarted = await startInContainer(dataDir, 'hold', ownProc);

      expect(crashed).toMatch(/\nlocked\n/);
      expect(pidIn(restarted), 'the restarted daemon has the crashed one\u2019s pid').toBe(pidIn(crashed));
      expect(restarted, `first start:\n${crashed}\nsecond start:\n${restarted}`).toMatch(/\nlocked\n/);
      expect(lockIn(crashed)?.includes('start-time='), 'start time recorded').toBe(ownProc);
    },
  );

  it('when a lock left by the previous version names this process\u2019s pid, then it is taken over', async () => {
    const dataDir = await freshDir();
    await writeFile(lockFile(dataDir), `${process.pid}\n`);

    const lock = await lockDataDir(dataDir);

    expect(Number.parseInt(await readFile(lock.path, 'utf8'), 10)).toBe(process.pid);
    await lock.release();
  });

  it('when a lock names this process\u2019s pid with another start time, then it is taken over', async () => {
    const dataDir = await freshDir();
    const stale = `${process.pid}\nstart-time=1\nboot-id=${await bootId()}\n`;
    await writeFile(lockFile(dataDir), stale);

    const lock = await lockDataDir(dataDir);

    expect(await readFile(lock.path, 'utf8')).not.toBe(stale);
    await lock.release();
  });

  it('when a lock was written before a reboot, then it is taken over even though a process with its pid is alive', async () => {
    const dataDir = await freshDir();
    const other = await bystander();
    try {
      await writeFile(lockFile(dataDir), `${other.pid}\nstart-time=1\nboot-id=00000000-0000-0000-0000-000000000000\n`);

      const lock = await lockDataDir(dataDir);

      expect(Number.parseInt(await readFile(lock.path, 'utf8'), 10)).toBe(process.pid);
      await lock.release();
    } finally {
      await other.stop();
    }
  });

  it('when the pid of a lock now belongs to a process that started later, then the lock is taken over', async () => {
    const dataDir = await freshDir();
    const other = await bystander();
    try {
      await writeFile(lockFile(dataDir), `${other.pid}\nstart-time=1\nboot-id=${await bootId()}\n`);

      const lock = await lockDataDir(dataDir);

      expect(Number.parseInt(await readFile(lock.path, 'utf8'), 10)).toBe(process.pid);
      await lock.release();
    } finally {
      await other.stop();
    }
  });
});

describe('data directory lock, while its holder lives', () => {
  it('when another daemon holds it, then it is refused naming that daemon, and taken over once the daemon is killed', async () => {
    const dataDir = await freshDir();
    const holder = await holdingDaemon(dataDir);
    expect(lockIn(holder.output)).toMatch(new RegExp(`^${holder.pid}\\nstart-time=\\d+\\nboot-id=`));

    const refused = lockDataDir(dataDir);
    await expect(refused).rejects.toBeInstanceOf(DataDirLockedError);
    await expect(refused).rejects.toThrow(`in use by process ${holder.pid} `);

    const exited = once(holder.child, 'exit');
    holder.child.kill('SIGKILL');
    await exited;
    const lock = await lockDataDir(dataDir);
    await lock.release();
  });

  it('when a lock left by the previous version names another live process, then it is refused', async () => {
    const dataDir = await freshDir();
    const other = await bystander();
    try {
      await writeFile(lockFile(dataDir), `${other.pid}\n`);

      await expect(lockDataDir(dataDir)).rejects.toThrow(`in use by process ${other.pid} `);
    } finally {
      await other.stop();
    }
  });

  it('when this process holds it, then a second lock is refused as this process\u2019s, and it can be taken again after release', async () => {
    const dataDir = await freshDir();
    const lock = await lockDataDir(dataDir);
    // The pid alone on the first line: the previous version, reading the first number, still sees the owner.
    expect(Number.parseInt(await readFile(lock.path, 'utf8'), 10)).toBe(process.pid);

    await expect(lockDataDir(dataDir)).rejects.toThrow(`in use by process ${process.pid}, this very process, which already has it open (lock file`);
    await expect(lockDataDir(join(dataDir, '.'))).rejects.toMatchObject({ byThisProcess: true });
    await lock.release();
    await expect(readFile(lock.path, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });

    const again = await lockDataDir(dataDir);
    await again.release();
  });

  it('when opens in this process race for the same directory, then exactly one gets it', async () => {
    const dataDir = await freshDir();

    const results = await Promise.allSettled([lockDataDir(dataDir), lockDataDir(dataDir), lockDataDir(dataDir)]);

    const taken = results.filter((result) => result.status === 'fulfilled');
    expect(taken).toHaveLength(1);
    expect(results.filter((result) => result.status === 'rejected').map((result) => (result.reason as DataDirLockedError).byThisProcess)).toEqual([true, true]);
    await taken[0]?.value.release();
  });
});
