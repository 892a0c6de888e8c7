// Settings of the embedded Postgres, shared by the daemon's store and the process that creates a new data directory.
import { PGlite } from '@electric-sql/pglite';

/**
 * Postgres sets up its shared buffer pool at start-up, and in PGlite it lives in WebAssembly memory, which never
 * shrinks; the default pool is 128 MB. The daemon's database is a few MB of trades, orders and decisions: 16 MB
 * holds all of it that is hot, and keeps a long-running process small on a small VPS.
 */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];
