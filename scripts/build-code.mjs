// `npm run build` after the dashboard: compiles the daemon with tsc (extra arguments go to tsc, e.g. `-- --outDir DIR`),
// then writes the digest of src/ beside the compiled code (src/cli/stamp-code.ts), from the output folder itself, so
// a build into another folder is stamped there and not in dist/.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const at = args.indexOf('--outDir');
const outDir = at >= 0 && args[at + 1] !== undefined ? args[at + 1] : 'dist';

// A build that fails halfway must not leave the last good build's stamp beside code it does not describe.
rmSync(join(outDir, 'code-fingerprint.txt'), { force: true });
for (const command of [
  ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', ...args],
  [join(outDir, 'cli', 'stamp-code.js'), 'src'],
]) {
  const { status } = spawnSync(process.execPath, command, { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
