// A sweep's jobs carry the digest of the code that planned them. Run from source, a process hashes src/; compiled, it
// reads the stamp the build wrote from the same src/, so a planner in a checkout and a worker in the image agree on
// the same code and disagree on any other. A worker on other code refuses the trial.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkSameCode, CODE_STAMP_FILE, codeFingerprint, codeFingerprintOf, writeCodeStamp } from '../../../src/cli/code-fingerprint.js';
import { folderFingerprint } from '../../../src/cli/folder-fingerprint.js';
import { tempTree } from '../../support/temp-tree.js';

const tree = (files: Record<string, string>): Promise<string> => tempTree('code-fingerprint-', files);

describe('the fingerprint of the code a process runs', () => {
  it('when run from source, then it is the digest of the source folder, and an edit to any source file changes it', async () => {
    const root = await tree({ 'src/cli/worker.ts': 'export {};\n', 'src/engine/daemon.ts': 'export const a = 1;\n' });
    const module = pathToFileURL(join(root, 'src', 'cli', 'worker.ts'));
    const before = await codeFingerprintOf(module);
    expect(before).toBe(await folderFingerprint(join(root, 'src')));
    await writeFile(join(root, 'src', 'engine', 'daemon.ts'), 'export const a = 2;\n');
    expect(await codeFingerprintOf(module)).not.toBe(before);
  });

  it('when compiled, then it is the stamp beside the compiled code, whatever the compiled files are', async () => {
    const root = await tree({ 'dist/cli/worker.js': 'export {};\n', [`dist/${CODE_STAMP_FILE}`]: 'abc123\n' });
    expect(await codeFingerprintOf(pathToFileURL(join(root, 'dist', 'cli', 'worker.js')))).toBe('abc123');
  });

  it('when compiled without the stamp, then it says to build with npm run build, and does not guess from the source folder', async () => {
    const root = await tree({ 'dist/cli/worker.js': 'export {};\n', 'src/cli/worker.ts': 'export {};\n' });
    await expect(codeFingerprintOf(pathToFileURL(join(root, 'dist', 'cli', 'worker.js')))).rejects.toThrow(/code-fingerprint\.txt is missing: compile with npm run build/);
  });

  it('when the build stamps its output, then a compiled process reads the same digest a process run from this source computes', async () => {
    const out = await tree({ 'cli/worker.js': 'export {};\n' });
    const stamped = await writeCodeStamp(out);
    expect(stamped).toBe(await codeFingerprint());
    expect(await codeFingerprintOf(pathToFileURL(join(out, 'cli', 'worker.js')))).toBe(stamped);
  });
});

describe('a trial planned on some code', () => {
  it('when the worker runs the same code, or the trial names none (planned before the check existed), then it is taken', async () => {
    await expect(checkSameCode(await codeFingerprint())).resolves.toBeUndefined();
    await expect(checkSameCode(undefined)).resolves.toBeUndefined();
  });

  it('when the worker runs other code, then it refuses the trial saying so', async () => {
    await expect(checkSameCode('0123456789abcdef0123456789abcdef')).rejects.toThrow(
      /this worker runs other code than the sweep was planned with \(code [0-9a-f]{12}, the sweep's 0123456789ab\): start it from the same commit or image/,
    );
  });
});
