import type { Logger } from '../ports/logger.js';

export interface LoggedLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly context: object;
  readonly message: string;
}

/** A logger for tests: prints nothing, remembers every line so a test can assert on what was logged. */
export class RecordingLogger implements Logger {
  constructor(
    readonly lines: LoggedLine[] = [],
    private readonly bindings: Record<string, unknown> = {},
  ) {}

  debug = (context: object, message: string): void => this.push('debug', context, message);
  info = (context: object, message: string): void => this.push('info', context, message);
  warn = (context: object, message: string): void => this.push('warn', context, message);
  error = (context: object, message: string): void => this.push('error', context, message);

  child(bindings: Record<string, unknown>): Logger {
    return new RecordingLogger(this.lines, { ...this.bindings, ...bindings });
  }

  private push(level: LoggedLine['level'], context: object, message: string): void {
    this.lines.push({ level, context: { ...this.bindings, ...context }, message });
  }
}
