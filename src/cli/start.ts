// npm start: the daemon (paper or live, per USE_PAPER_TRADING). The command line is read before the daemon's code is
// even loaded, so `--help` or a mistyped flag can never start trading.
import { readCommandLine } from './command-line.js';

const USAGE = `usage: npm start [-- --help]
       node dist/cli/start.js [--help]
Runs the trading daemon until SIGINT or SIGTERM: paper trading on live prices by default, real orders with
USE_PAPER_TRADING=false (which also needs LIVE_TRADING_ACKNOWLEDGED). Every setting comes from the environment or
./.env; README.md (section Configuration) and .env.example list them.
  --help     print this and exit`;

async function main(): Promise<number> {
  const line = readCommandLine(USAGE, { options: { help: { type: 'boolean' } } });
  if ('exitCode' in line) return line.exitCode;
  const { runDaemon } = await import('../main.js');
  return runDaemon();
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`fatal: ${(error as Error).message}`);
    process.exit(1);
  },
);
