// Copies warnings and errors into the system_logs table, in batches, so they survive the container's log rotation
// and can be queried next to the trades. A failing store never blocks or breaks logging.
import type { LogEntry, LogRepository } from '../../ports/store.js';

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const MAX_BUFFER = 1000;

export class StoreLogSink {
  private buffer: LogEntry[] = [];
  private timer?: ReturnType<typeof setInterval>;
  private repository?: LogRepository;
  private flushing?: Promise<void>;

  constructor(private readonly batchSize = 50) {}

  /** Starts persisting once the store is open; earlier lines wait in the buffer. */
  attach(repository: LogRepository, flushEveryMs = 2000): void {
    this.repository = repository;
    this.timer = setInterval(() => void this.flush(), flushEveryMs);
    this.timer.unref();
  }

  /** pino destination interface: one JSON line per call. */
  write(line: string): void {
    try {
      const { level, time, at, module, msg, ...context } = JSON.parse(line) as Record<string, unknown>;
      delete context.pid;
      delete context.hostname;
      delete context.service;
      this.buffer.push({
        time: new Date(typeof at === 'string' ? at : typeof time === 'string' || typeof time === 'number' ? time : 0),
        level: LEVEL_NAMES[level as number] ?? String(level),
        module: typeof module === 'string' ? module : undefined,
        message: typeof msg === 'string' ? msg : '',
        context,
      });
      // Bounded: during a long store outage the oldest lines are dropped rather than memory growing.
      if (this.buffer.length > MAX_BUFFER) this.buffer.splice(0, this.buffer.length - MAX_BUFFER);
      if (this.buffer.length >= this.batchSize) void this.flush();
    } catch {
      // A line that is not JSON is not ours to persist.
    }
  }

  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (!this.repository || this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.flushing = this.repository
      .append(batch)
      .catch(() => {
        this.buffer = [...batch, ...this.buffer].slice(-MAX_BUFFER);
      })
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
