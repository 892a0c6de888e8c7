// `npm run test:slow`: the suites kept out of `npm test` for their length (vitest.config.ts, SLOW_SUITES): the image
// runtime test, the walk-forward on the bundled history, the restart replay, and the suites that run the daemon or
// the sweep workers or the replay commands as processes.
import { defineConfig } from 'vitest/config';
import base, { SLOW_SUITES } from './vitest.config.js';

// A fresh fork per file: these start processes and servers of their own, and load little next to what they run.
export default defineConfig({ test: { ...base.test, include: SLOW_SUITES, exclude: ['**/node_modules/**'], poolOptions: { forks: { isolate: true } } } });
