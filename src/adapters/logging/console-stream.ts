// Where the daemon's log lines go on its standard output: JSON lines for log collectors (Docker, systemd, files), or
// readable lines when a person watches a terminal. The lines are serialised, redacted and scrubbed of secrets by the
// logger before either form sees them.
import { createRequire } from 'node:module';
import type { DestinationStream } from 'pino';
import type PinoPretty from 'pino-pretty';

export function consoleStream(output: NodeJS.WriteStream = process.stdout): DestinationStream {
  if (!output.isTTY) return output;
  // Loaded only for a terminal: a daemon under Docker or systemd writes JSON and never needs it (about 9 MB resident).
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  return pretty({
    destination: output,
    colorize: true,
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss',
    // The service name is the same on every line, and pid and host say nothing to someone watching one daemon.
    ignore: 'pid,hostname,service',
    messageKey: 'msg',
    singleLine: true,
  });
}
