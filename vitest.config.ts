import { defineConfig } from 'vitest/config';

/** Suites that take a minute or more on their own; `npm run test:slow` runs them, and CI runs both commands. */
export const SLOW_SUITES = ['test/integration/docker/**/*.test.ts'];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...SLOW_SUITES],
    environment: 'node',
    // Integration tests share one Postgres and one Redis; files run in parallel but each uses its own schema / key prefix.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
