// Creates a PGlite database in the directory given as the only argument, then exits: run by `initializeDataDir` in a
// process of its own, so that initdb's memory leaves with it. A failure is one line on stderr, for the parent's error.
import { PGlite } from '@electric-sql/pglite';
import { compileWasmWithBaselineOnly, PGLITE_START_PARAMS } from './pglite-settings.js';

/** PGlite's file-system errors carry only an errno; the message is empty. */
function describe(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  const errno = (error as { errno?: unknown } | undefined)?.errno;
  return errno === undefined ? String(error) : `file system error (errno ${String(errno)})`;
}

const dataDir = process.argv[2];
if (!dataDir) {
  console.error('usage: pglite-initdb-child <data directory>');
  process.exit(2);
}
compileWasmWithBaselineOnly();
try {
  const db = await PGlite.create({ dataDir, startParams: PGLITE_START_PARAMS });
  await db.close();
} catch (error) {
  console.error(describe(error));
  process.exit(1);
}
