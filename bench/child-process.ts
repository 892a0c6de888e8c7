// Runs a bench script in a fresh Node process and reads back the JSON it writes: for measurements that must not share
// a heap (memory), need Node flags (--cpu-prof, --expose-gc), or should not be disturbed by what ran before.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

export interface ChildOptions {
  /** Node flags before the script, e.g. `--expose-gc`; `--import tsx` is added unless `plain`. */
  readonly nodeFlags?: readonly string[];
  /** Run without the TypeScript loader (for a bare-process baseline). */
  readonly plain?: boolean;
  readonly timeoutMs?: number;
}

/**
 * Runs `script` (a path under bench/, an absolute path, or `-e` code when `plain`) with `args` and `--out <file>`, and
 * returns what it wrote to that file. The child's own output goes to our stderr.
 */
export async function runChild<T>(script: string, args: readonly string[], options: ChildOptions = {}): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-child-'));
  const out = join(dir, 'result.json');
  const loader = options.plain ? [] : ['--import', 'tsx'];
  const target = script.startsWith('-') || isAbsolute(script) ? [script] : [join(PROJECT_ROOT, 'bench', script)];
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), ...loader, ...target, ...args, '--out', out], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 2, 2],
  });
  const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (exitCode) => resolve(exitCode));
    });
    if (code !== 0) throw new Error(`${script} ${args.join(' ')} exited with ${code === null ? 'a kill (time limit)' : `code ${code}`}`);
    return JSON.parse(await readFile(out, 'utf8')) as T;
  } finally {
    if (timer) clearTimeout(timer);
    await rm(dir, { recursive: true, force: true });
  }
}

/** The value after `--name` in argv, or undefined. */
export function argument(name: string, args: readonly string[] = process.argv): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? undefined : args[at + 1];
}
