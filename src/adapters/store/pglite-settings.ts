// Settings of the embedded Postgres, shared by the daemon's store and the process that creates a new data directory.
import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';

/**
 * Postgres sets up its shared buffer pool at start-up, and in PGlite it lives in WebAssembly memory, which never
 * shrinks; the default pool is 128 MB. The daemon's database is a few MB of trades, orders and decisions: 16 MB
 * holds all of it that is hot, and keeps a long-running process small on a small VPS.
 */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/** The V8 flag `compileWasmWithBaselineOnly` sets; the memory benchmark sets it in processes that load no code of ours. */
export const BASELINE_ONLY_WASM_FLAG = '--liftoff-only';

/**
 * Has V8 compile WebAssembly with its baseline compiler (Liftoff) only, never tiering hot functions up to its
 * optimising compiler (TurboFan). PGlite is a 9 MB WebAssembly Postgres; optimising its hot functions held 30-80 MB
 * more resident memory in a fresh process (code, and the compiler's memory that the allocator keeps), varying with
 * how many functions got hot, and cost CPU time on start-up. The daemon's queries are few and small: measured on
 * Node 20, opening a database, 3,000 inserts and 300 aggregates took less CPU time in all than with tier-up (about
 * 2.6 s against 5-7 s, most of the difference being the optimising compiles). Process-wide, and read when a module is
 * compiled, so it is set before PGlite compiles its module; no other WebAssembly runs in the daemon. V8 lists the
 * flag as one for testing, but it changes only which of its compilers runs: every function runs as Liftoff code
 * before it is tiered up anyway. `v8.setFlagsFromString` needs V8's flags writable after start, which Node 20 leaves
 * them (`node --v8-options` lists `--freeze-flags-after-init` as off); the memory benchmark shows the effect.
 */
export function compileWasmWithBaselineOnly(): void {
  setFlagsFromString(BASELINE_ONLY_WASM_FLAG);
}
