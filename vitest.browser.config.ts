// `npm run test:browser`: the dashboard in headless Chromium against the whole daemon on the local peers.
// Apart from `npm test` because it needs Debian's chromium and a built page (the script builds it first).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
