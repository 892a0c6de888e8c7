// A new PGlite data directory is made by initdb, which PGlite runs as a second Postgres instance beside the one it
// opens. Their WebAssembly memory never shrinks, so a daemon that ran initdb itself would carry the peak of both for
// its whole life (about 150 MB more than on any later start). A short-lived child process takes that peak instead.
import { spawn } from 'node:child_process';
import { access, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** initdb takes 2-5 s on a small machine; the limit is only there so that a hung child cannot hold start-up. */
const INITDB_TIMEOUT_MS = 120_000;
/** Enough of the child's error output to name the cause. */
const STDERR_TAIL_CHARS = 2_000;

/** True when `dataDir` already holds a database (PGlite's own test: Postgres' version file). */
export async function holdsDatabase(dataDir: string): Promise<boolean> {
  try {
    await access(join(dataDir, 'PG_VERSION'));
    return true;
  } catch {
    return false;
  }
}

/**
 * The child script beside this module: TypeScript under the loader (tests, `npm run demo`), JavaScript once built.
 * The loader is named by its path, since the daemon's working directory need not be the project's.
 */
function childArguments(dataDir: string): string[] {
  const ownExtension = extname(fileURLToPath(import.meta.url));
  const script = fileURLToPath(new URL(`./pglite-initdb-child${ownExtension}`, import.meta.url));
  if (ownExtension !== '.ts') return [script, dataDir];
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return ['--import', loader, script, dataDir];
}

/** Creates the database in `dataDir` (made if missing; it must hold no database yet) in a child process. */
export async function initializeDataDir(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (error) {
    throw new Error(`could not create the embedded database in ${dataDir}: ${(error as Error).message}`);
  }
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, childArguments(dataDir), { stdio: ['ignore', 'ignore', 'pipe'], timeout: INITDB_TIMEOUT_MS });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
    });
    child.on('error', (error) => reject(new Error(`could not start the process that creates the embedded database: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const cause = stderr.trim().split('\n').pop() || (signal ? `killed by ${signal}` : `exit code ${code}`);
      reject(new Error(`could not create the embedded database in ${dataDir}: ${cause}`));
    });
  });
}
