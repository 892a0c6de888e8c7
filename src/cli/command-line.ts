// The command line of every CLI entry, read before anything is opened or started: `--help` prints the usage and ends
// with 0; an unknown flag or a stray word prints what was wrong and the usage on stderr, and ends with 2.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../config/load-config.js';

export const EXIT_USAGE = 2;

/** A flag's value that cannot be used: its message names the flag and is shown as it is, without a stack. */
export class UsageError extends Error {}

/** `--from`/`--to`: a day (`2025-03-01`, UTC midnight) or any full timestamp `Date` reads; absent stays absent. */
export function parseDateOption(text: string | undefined, name: string): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--${name}: ${JSON.stringify(text)} is not a date (use YYYY-MM-DD)`);
  return date;
}

type Values<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>['values'];

export type CommandLine<T extends ParseArgsConfig> =
  | { readonly values: Values<T> }
  /** The command is done: usage was printed, and this is its exit code. */
  | { readonly exitCode: number };

export interface Printers {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const CONSOLE: Printers = { out: (text) => console.log(text), err: (text) => console.error(text) };

/** `config.options` must declare `help` (a boolean); `config.args` defaults to the process's arguments. */
export function readCommandLine<const T extends ParseArgsConfig>(usage: string, config: T, print: Printers = CONSOLE): CommandLine<T> {
  let values: Values<T>;
  try {
    values = parseArgs(config).values;
  } catch (error) {
    print.err(`${(error as Error).message}\n\n${usage}`);
    return { exitCode: EXIT_USAGE };
  }
  if ((values as Record<string, unknown>)['help'] === true) {
    print.out(usage);
    return { exitCode: 0 };
  }
  return { values };
}

/**
 * Runs a command's `main` and exits with its code. A mistake of the user's (a configuration variable or a flag's
 * value) is shown as its own message and ends with 2, like a bad flag; anything else is named as the command's
 * failure and ends with `failureCode`.
 */
export function runCli(name: string, main: () => Promise<number>, options: { failureCode?: number; stack?: boolean } = {}): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof ConfigError || error instanceof UsageError) {
        console.error(error.message);
        process.exit(EXIT_USAGE);
      }
      const shown = options.stack ? ((error as Error).stack ?? String(error)) : (error as Error).message;
      console.error(`${name} failed: ${shown}`);
      process.exit(options.failureCode ?? 1);
    },
  );
}
