// The HTML backtest reports in one configured folder (`npm run backtest` writes reports/backtest.html), listed and
// served to the dashboard. A name from a request is never joined to a path as it came: it must be a plain file
// name of the listing's shape, and the file it names must resolve (symbolic links followed) inside the folder.
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';

export interface ReportFile {
  readonly name: string;
  readonly sizeBytes: number;
  readonly modifiedAt: Date;
}

/**
 * A file name with no folder part, no leading dot and no control character, ending in .html in any case: what the
 * folder may list and a request may name. `--html "btc run (2).html"` is a report like any other; the path it names
 * must still resolve inside the folder.
 */
export const REPORT_NAME = /^[^./\\][^/\\]*\.html$/i;
/** What Linux allows a file name: 255 bytes. */
const MAX_NAME_BYTES = 255;
const hasControlCharacter = (name: string): boolean => [...name].some((char) => char.charCodeAt(0) < 0x20 || char === '\u007f');

export function isReportName(name: string): boolean {
  return Buffer.byteLength(name) <= MAX_NAME_BYTES && REPORT_NAME.test(name) && !hasControlCharacter(name);
}

export class ReportFiles {
  constructor(readonly dir: string) {}

  /** The reports, newest first; an absent folder has none. */
  async list(): Promise<ReportFile[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const found = await Promise.all(
      names.filter(isReportName).map(async (name) => {
        const path = await this.inside(name);
        if (!path) return undefined;
        const info = await lstat(path);
        return { name, sizeBytes: info.size, modifiedAt: info.mtime };
      }),
    );
    return found.filter((file): file is ReportFile => file !== undefined).sort((a, b) => b.modifiedAt.getTime() - a.modifiedAt.getTime() || a.name.localeCompare(b.name));
  }

  /** The report's bytes, or undefined for a name that is not a report in the folder. */
  async read(name: string): Promise<Buffer | undefined> {
    if (!isReportName(name)) return undefined;
    const path = await this.inside(name);
    return path ? readFile(path).catch(() => undefined) : undefined;
  }

  /** The real path of a regular file of that name, if it lies in the folder (a link out of it does not count). */
  private async inside(name: string): Promise<string | undefined> {
    try {
      const [root, real] = await Promise.all([realpath(this.dir), realpath(join(this.dir, name))]);
      if (!real.startsWith(root + sep)) return undefined;
      return (await lstat(real)).isFile() ? real : undefined;
    } catch {
      return undefined;
    }
  }
}
