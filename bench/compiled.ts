// Compiles a bench child to plain JavaScript, as the Docker image runs the daemon (tsc, no loader in the process), so
// a measurement can leave the TypeScript loader's own memory out. The output mirrors the project's layout inside it,
// so code that walks up to find `migrations/` or `history/` still finds them.
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from './child-process.js';

export const COMPILED_DIR = join(PROJECT_ROOT, '.bench-build');

/**
 * Compiles `bench/<script>.ts` with all of `src/` (a module there may start another by its path, as the store does to
 * create a new database); returns the path of the compiled script.
 */
export async function compileBenchScript(script: string): Promise<string> {
  await rm(COMPILED_DIR, { recursive: true, force: true });
  await mkdir(COMPILED_DIR, { recursive: true });
  const config = join(COMPILED_DIR, 'tsconfig.json');
  await writeFile(
    config,
    JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { noEmit: false, rootDir: '..', outDir: '.' }, include: ['../src'], files: [`../bench/${script}`] }),
  );
  const tsc = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', config], { cwd: PROJECT_ROOT, stdio: ['ignore', 2, 2] });
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`tsc could not compile bench/${script} (exit ${code})`);
  return join(COMPILED_DIR, 'bench', script.replace(/\.ts$/, '.js'));
}
