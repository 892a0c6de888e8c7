// The queue between the owner's requests and the daemon's loop, once the loop stops taking them.
import { describe, expect, it } from 'vitest';
import { DaemonStoppedError } from '../../../src/domain/errors.js';
import { OwnerCommandQueue } from '../../../src/engine/owner-commands.js';

describe('owner commands when the daemon stops', () => {
  it('when a command still waits as the queue closes, then it is refused saying the daemon is shutting down; a later one too', async () => {
    const queue = new OwnerCommandQueue();
    const waiting = queue.submit({ kind: 'pause', requestedBy: 'web:owner' });

    queue.close();

    await expect(waiting).rejects.toThrow(new DaemonStoppedError());
    await expect(queue.submit({ kind: 'resume', requestedBy: 'telegram:owner' })).rejects.toThrow('the daemon is shutting down; the command was not carried out');
    expect(queue.size).toBe(0);
  });
});
