// Which engine code a process runs, as one digest of the source folder. A sweep's jobs carry the digest of the code
// that planned them, and a worker on any machine refuses a trial planned on other code: results from an older
// checkout or image would otherwise be mixed into the sweep without a trace. Run from source (tsx), a process hashes
// src/ itself; compiled, it reads the digest the build wrote beside dist/ from the src/ it compiled, since dist/ holds
// no source and the Docker image holds no src/.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { folderFingerprint } from './folder-fingerprint.js';

/** Written by `npm run build` (src/cli/stamp-code.ts) into the compiled output's root. */
export const CODE_STAMP_FILE = 'code-fingerprint.txt';

/** The source folder: two levels above this module in both src/cli and dist/cli. */
const SOURCE_DIR = new URL('../../src/', import.meta.url);

/** The digest of the code the module at `moduleUrl` belongs to (a module in src/cli or in a compiled cli folder). */
export async function codeFingerprintOf(moduleUrl: URL): Promise<string> {
  if (moduleUrl.pathname.endsWith('.ts')) return folderFingerprint(fileURLToPath(new URL('..', moduleUrl)));
  const stamp = new URL(`../${CODE_STAMP_FILE}`, moduleUrl);
  const text = await readFile(stamp, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
    // Hashing the source folder beside it instead could describe edits made after the compile.
    throw new Error(`${fileURLToPath(stamp)} is missing: compile with npm run build, which writes it, so sweeps can tell which code this is`);
  });
  return text.trim();
}

let own: Promise<string> | undefined;

/** This process's code, read once. */
export function codeFingerprint(): Promise<string> {
  own ??= codeFingerprintOf(new URL(import.meta.url));
  return own;
}

/** Writes the digest of the source folder (src/ unless given) into a compiled output folder (dist/, or wherever tsc wrote it). */
export async function writeCodeStamp(outDir: string, sourceDir: string = fileURLToPath(SOURCE_DIR)): Promise<string> {
  const digest = await folderFingerprint(sourceDir);
  await writeFile(join(outDir, CODE_STAMP_FILE), `${digest}\n`);
  return digest;
}

/** How a refusal for other code begins: a worker that meets one stops taking the sweep's jobs (worker.ts). */
export const OTHER_CODE_REFUSAL = 'this worker runs other code than the sweep was planned with';

/** Refuses a trial planned on other code than this worker runs. */
export async function checkSameCode(planned: string | undefined): Promise<void> {
  if (planned === undefined) return;
  const here = await codeFingerprint();
  if (here !== planned) {
    throw new Error(
      `${OTHER_CODE_REFUSAL} (code ${here.slice(0, 12)}, the sweep's ${planned.slice(0, 12)}): start it from the same commit or image (compiled with npm run build); the trial is left to a worker on the sweep's code`,
    );
  }
}
