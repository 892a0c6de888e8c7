// `npm run test:slow`: the suites kept out of `npm test` for their length (vitest.config.ts, SLOW_SUITES): today the
// image runtime test, which installs the production dependencies into a clean folder (about a minute).
import { defineConfig } from 'vitest/config';
import base, { SLOW_SUITES } from './vitest.config.js';

export default defineConfig({ test: { ...base.test, include: SLOW_SUITES, exclude: ['**/node_modules/**'] } });
