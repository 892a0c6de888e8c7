// The slice of pino the engine uses; pino's Logger satisfies it.
export interface LogFn {
  (context: object, message: string): void;
}

export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}
