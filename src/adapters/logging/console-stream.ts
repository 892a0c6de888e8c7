// Where the daemon's log lines go on its standard output: JSON lines for log collectors (Docker, systemd, files), or
// readable lines when a person watches a terminal. The lines are serialised, redacted and scrubbed of secrets by the
// logger before either form sees them.
import type { DestinationStream } from 'pino';
import pretty from 'pino-pretty';

export function consoleStream(output: NodeJS.WriteStream = process.stdout): DestinationStream {
  if (!output.isTTY) return output;
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
