import { OperationalError } from '../../../domain/errors.js';

/**
 * A history file that cannot be trusted. Raised, never skipped: a silently dropped or mangled row would turn into
 * trades that never could have happened.
 */
export class HistoryFormatError extends OperationalError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly problem: string,
  ) {
    super(line === undefined ? `${file}: ${problem}` : `${file}, line ${line}: ${problem}`);
  }
}
