// npm start: the daemon (paper or live, per USE_PAPER_TRADING).
import { runDaemon } from '../main.js';

runDaemon().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`fatal: ${(error as Error).message}`);
    process.exit(1);
  },
);
