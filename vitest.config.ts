import { defineConfig } from 'vitest/config';

/**
 * Suites kept out of `npm test` for their length: each starts whole daemon or sweep-worker processes or replays
 * weeks of history, 15 s to 2 min apiece. `npm run test:slow` runs them, and CI runs both commands.
 */
export const SLOW_SUITES = [
  'test/integration/docker/**/*.test.ts',
  'test/e2e/walk-forward.test.ts',
  'test/integration/secrets/no-secret-leaks.test.ts',
  'test/integration/live/shadow-strategies.test.ts',
  'test/integration/store/pglite-data-dir.test.ts',
  'test/integration/live/venues/paper-daemon.test.ts',
  'test/integration/live/run-daemon.test.ts',
  'test/integration/sweeps/sweep-queue.test.ts',
  'test/e2e/restart.test.ts',
  'test/e2e/exits-replay.test.ts',
  'test/e2e/paper-replay-parity.test.ts',
  'test/integration/live/paper-to-live.test.ts',
  'test/integration/cli/replay-windows.test.ts',
];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...SLOW_SUITES],
    environment: 'node',
    // Integration tests share one Postgres and one Redis; files run in parallel but each uses its own schema / key prefix.
    pool: 'forks',
    // Most suites wait on sockets and child processes rather than compute, so three forks keep two cores busy
    // (vitest's default on two cores is one fork).
    maxWorkers: 3,
    // As many as at most. With a minimum of 1, tinypool ends and starts forks between files, and without isolation
    // (below) that failed four runs of five at some file ("Terminating worker thread"); with 3, none of seven.
    minWorkers: 3,
    // Each fork runs file after file without loading the modules again. A fresh fork per file spent more time loading
    // than testing (ccxt's Binance class alone takes a second), and npm test took 6.7 minutes instead of 3 on a
    // 2-core machine. Suites share no module state that matters: each builds its own stores, venues and engines.
    poolOptions: { forks: { isolate: false } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
