import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildInfo } from '../../../src/cli/build-info.js';

describe('what /version says about the build', () => {
  it('then the version is the package\u2019s, the runtime is this Node.js, and the commit is GIT_COMMIT\u2019s when given', () => {
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

    expect(buildInfo('0d844cb')).toEqual({ version, commit: '0d844cb', runtime: `Node.js ${process.versions.node}` });
    expect(buildInfo(undefined)).not.toHaveProperty('commit');
  });
});
