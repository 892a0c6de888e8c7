// What a folder holds, as one digest of every file's path and bytes. A sweep is named by its history folder's and by
// the code's: run again on files that changed (history re-downloaded or corrected, another checkout's, the engine
// edited), it replays anew instead of taking the old results; and a worker on another machine refuses a trial whose
// history folder there is not the one planned on.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return filesUnder(path);
      return entry.isFile() ? [path] : [];
    }),
  );
  return nested.flat();
}

/** A hex digest of the folder's files (their paths inside it, with `/`, and their bytes), the same on any machine. */
export async function folderFingerprint(dir: string): Promise<string> {
  const files = (await filesUnder(dir)).map((path) => ({ path, name: relative(dir, path).split(sep).join('/') }));
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const digest = createHash('sha256');
  for (const file of files) {
    const bytes = await readFile(file.path);
    digest.update(`${file.name}\0${bytes.length}\0`);
    digest.update(bytes);
  }
  return digest.digest('hex').slice(0, 32);
}
