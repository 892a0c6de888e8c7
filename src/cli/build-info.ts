// What /version says about the running build: the package's version, the commit it was built from (GIT_COMMIT, which
// the Docker build sets) and the Node.js version.
import { readFileSync } from 'node:fs';
import type { BuildInfo } from '../ports/control.js';

/** `package.json` sits two folders up from both src/cli and dist/cli. */
const PACKAGE_JSON = new URL('../../package.json', import.meta.url);

export function buildInfo(commit: string | undefined): BuildInfo {
  return { version: packageVersion(), ...(commit === undefined ? {} : { commit }), runtime: `Node.js ${process.versions.node}` };
}

function packageVersion(): string {
  try {
    const { version } = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version?: unknown };
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
