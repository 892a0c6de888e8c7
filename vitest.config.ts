import { defineConfig } from 'vitest/config';

/**
 * Suites kept out of `npm test` for their length: each starts whole daemon processes or replays months of history,
 * 15 s to 2 min apiece. `npm run test:slow` runs them, and CI runs both commands.
 */
export const SLOW_SUITES = [
  'test/integration/docker/**/*.test.ts',
  'test/e2e/walk-forward.test.ts',
  'test/integration/secrets/no-secret-leaks.test.ts',
  'test/integration/live/shadow-strategies.test.ts',
  'test/integration/store/pglite-data-dir.test.ts',
  'test/integration/live/venues/paper-daemon.test.ts',
  'test/integration/live/run-daemon.test.ts',
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
    minWorkers: 1,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
