import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE_NAME } from '../../../src/adapters/store/data-dir-lock.js';
import { openStore } from '../../../src/adapters/store/open-store.js';
import { holdsDatabase, initializeDataDir } from '../../../src/adapters/store/pglite-initdb.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { registerMigrationCases } from './migration-cases.js';
import { newPosition } from './store-contract.js';
import { idleProcess } from '../../support/idle-process.js';

let root: string;
/** Created once (initialising a PGlite directory takes seconds); each case below reopens it. */
let dataDir: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pglite-store-'));
  dataDir = join(root, 'shared');
  await openStore({ dataDir, logger: new RecordingLogger() }).then((store) => store.close());
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

registerMigrationCases('PGlite data directory', {
  open: ({ logger, migrationsDir }) => openStore({ dataDir: join(root, 'migrations-db'), logger, migrationsDir }),
});

const otherProcess = idleProcess;

describe('PGlite data directory', () => {
  it('when the store is closed and reopened, then its data is still there', async () => {
    const first = await openStore({ dataDir, logger: new RecordingLogger() });
    const position = await first.positions.create(newPosition({ quantity: 0.123 }));
    await first.state.put('marker', { kept: true });
    await first.close();

    const second = await openStore({ dataDir, logger: new RecordingLogger() });
    try {
      expect((await second.positions.get(position.id))?.quantity).toBe(0.123);
      expect(await second.state.get('marker')).toEqual({ kept: true });
    } finally {
      await second.close();
    }
  });

  it('when the directory is open, then a second open is refused with a message naming the lock, and the lock goes on close', async () => {
    const store = await openStore({ dataDir, logger: new RecordingLogger() });
    const lockFile = join(dataDir, LOCK_FILE_NAME);
    expect((await readFile(lockFile, 'utf8')).split('\n')[0]).toBe(String(process.pid));

    await expect(openStore({ dataDir, logger: new RecordingLogger() })).rejects.toThrow(
      new RegExp(`in use by process ${process.pid}.*${LOCK_FILE_NAME}`),
    );
    await store.close();
    await expect(readFile(lockFile, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('when another live process holds the lock, then opening is refused', async () => {
    const other = await otherProcess();
    try {
      await writeFile(join(dataDir, LOCK_FILE_NAME), `${other.pid}\n`);
      const opening = openStore({ dataDir, logger: new RecordingLogger() });
      await expect(opening).rejects.toBeInstanceOf(DataDirLockedError);
      await expect(openStore({ dataDir, logger: new RecordingLogger() })).rejects.toThrow(String(other.pid));
    } finally {
      await other.stop();
      await rm(join(dataDir, LOCK_FILE_NAME), { force: true });
    }
  });

  it('when the lock was left by a process that is gone, then the store takes it over', async () => {
    const gone = await otherProcess();
    await gone.stop();
    await writeFile(join(dataDir, LOCK_FILE_NAME), `${gone.pid}\n`);

    const store = await openStore({ dataDir, logger: new RecordingLogger() });
    try {
      expect((await readFile(join(dataDir, LOCK_FILE_NAME), 'utf8')).split('\n')[0]).toBe(String(process.pid));
      await expect(store.ping()).resolves.toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

describe('a new PGlite data directory', () => {
  it('when the directory is empty, then a child process creates the database and a later open resumes it', async () => {
    const fresh = join(root, 'fresh');
    await mkdir(fresh);
    expect(await holdsDatabase(fresh)).toBe(false);

    await initializeDataDir(fresh);

    expect(await holdsDatabase(fresh)).toBe(true);
    const logger = new RecordingLogger();
    const store = await openStore({ dataDir: fresh, logger });
    try {
      await expect(store.ping()).resolves.toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('when the database cannot be created there, then the error names the directory and the cause', async () => {
    const notADirectory = join(root, 'a-file');
    await writeFile(notADirectory, 'not a data directory');

    const creating = initializeDataDir(notADirectory);

    await expect(creating).rejects.toThrow(new RegExp(`could not create the embedded database in ${notADirectory}: .+`));
  });
});
