// A dashboard password the first start makes is shown on a terminal, but never written to a service's log: there the
// log gets the path of a file only this user can read.
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { announcePassword } from '../../../src/cli/compose-dashboard.js';

const PASSWORD = 'made-Up-pa55word-4f3e2d';

describe('the first start’s dashboard password', () => {
  it('when stdout is a log, then the log names a private file holding the password, not the password', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dashboard-password-'));
    const printed: string[] = [];

    announcePassword(PASSWORD, join(dir, 'owner.hash'), { isTerminal: false, print: (text) => printed.push(text) });

    const clear = join(dir, 'first-password.txt');
    expect(printed.join('\n')).not.toContain(PASSWORD);
    expect(printed.join('\n')).toContain(`It is in ${clear}: read it there, then delete that file.`);
    expect(await readFile(clear, 'utf8')).toBe(`${PASSWORD}\n`);
    expect((await stat(clear)).mode & 0o777).toBe(0o600);
  });

  it('when stdout is a terminal, then it is shown there once', () => {
    const printed: string[] = [];

    announcePassword(PASSWORD, '/nowhere/owner.hash', { isTerminal: true, print: (text) => printed.push(text) });

    expect(printed.join('\n')).toContain(`Dashboard password (shown once): ${PASSWORD}`);
  });
});
