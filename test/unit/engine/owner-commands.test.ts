// The queue between the owner's requests and the daemon's loop: when the daemon stops, and across a crash.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/index.js';
import { DaemonStoppedError } from '../../../src/domain/errors.js';
import { OwnerCommandQueue } from '../../../src/engine/owner-commands.js';
import type { TradingStateRepository } from '../../../src/ports/store.js';

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

/** An engine state that remembers what was put, and says when the next put has landed. */
function recordingState() {
  const values = new Map<string, unknown>();
  let landed: () => void = () => undefined;
  const state: TradingStateRepository = {
    get: async (key) => values.get(key),
    put: async (key, value) => {
      values.set(key, structuredClone(value));
      landed();
    },
  };
  const nextPut = () => new Promise<void>((resolve) => (landed = resolve));
  return { state, nextPut };
}

describe('owner commands across a crash', () => {
  const clock = new ManualClock(new Date('2025-10-10T03:02:00Z'));

  it('when the process dies before the loop carries a command out, then the next process finds it, and strikes it off once dealt with', async () => {
    const { state, nextPut } = recordingState();
    const written = nextPut();
    void new OwnerCommandQueue({ state, clock }).submit({ kind: 'close', positionId: '7', requestedBy: 'telegram:owner' });
    await written;

    const next = new OwnerCommandQueue({ state, clock });
    const [found, ...rest] = await next.unfinished();

    expect(rest).toEqual([]);
    expect(found).toMatchObject({ command: { kind: 'close', positionId: '7', requestedBy: 'telegram:owner' }, requestedAt: clock.now() });
    await next.finished(found!.id);
    expect(await new OwnerCommandQueue({ state, clock }).unfinished()).toEqual([]);
  });

  it('when the loop carries a command out, then it is no longer written down', async () => {
    const { state } = recordingState();
    const queue = new OwnerCommandQueue({ state, clock });
    const pausing = queue.submit({ kind: 'pause', requestedBy: 'web:owner' });

    await queue.drain(async () => undefined);
    await pausing;

    expect(await new OwnerCommandQueue({ state, clock }).unfinished()).toEqual([]);
  });

  it('when the restarted process takes a request before it reads what the dead one left, then the dead one\'s request is still handed out, once, and the new one is not', async () => {
    const { state, nextPut } = recordingState();
    const crashedWrote = nextPut();
    void new OwnerCommandQueue({ state, clock }).submit({ kind: 'close', positionId: '7', requestedBy: 'telegram:owner' });
    await crashedWrote;

    // The owner presses Pause while the new process is still starting: its note is written first.
    const restarted = new OwnerCommandQueue({ state, clock });
    const restartedWrote = nextPut();
    const pausing = restarted.submit({ kind: 'pause', requestedBy: 'web:owner' });
    await restartedWrote;
    const found = await restarted.unfinished();

    expect(found.map((request) => request.command)).toEqual([{ kind: 'close', positionId: '7', requestedBy: 'telegram:owner' }]);
    expect(await restarted.unfinished()).toEqual([]);
    await restarted.finished(found[0]!.id);
    await restarted.drain(async () => undefined);
    await pausing;
    expect(await state.get('owner-requests')).toEqual([]);
  });

  it('when the restarted process dies too before reading what the first one left, then the next start finds both requests, oldest first', async () => {
    const { state, nextPut } = recordingState();
    const firstWrote = nextPut();
    void new OwnerCommandQueue({ state, clock }).submit({ kind: 'close', positionId: '7', requestedBy: 'telegram:owner' });
    await firstWrote;
    const secondWrote = nextPut();
    void new OwnerCommandQueue({ state, clock }).submit({ kind: 'pause', requestedBy: 'web:owner' });
    await secondWrote;

    const found = await new OwnerCommandQueue({ state, clock }).unfinished();

    expect(found.map((request) => request.command.kind)).toEqual(['close', 'pause']);
  });

  it('when what the dead process left cannot be read, then nothing is written over it, and it is kept once it can be read', async () => {
    const { state: recording, nextPut } = recordingState();
    const crashedWrote = nextPut();
    void new OwnerCommandQueue({ state: recording, clock }).submit({ kind: 'close', positionId: '7', requestedBy: 'telegram:owner' });
    await crashedWrote;
    let readable = false;
    const puts: unknown[] = [];
    const state: TradingStateRepository = {
      get: async (key) => (readable ? recording.get(key) : Promise.reject(new Error('database restarting'))),
      put: async (key, value) => {
        puts.push(structuredClone(value));
        await recording.put(key, value);
      },
    };

    const restarted = new OwnerCommandQueue({ state, clock });
    const pausing = restarted.submit({ kind: 'pause', requestedBy: 'web:owner' });
    await expect(restarted.unfinished()).rejects.toThrow('database restarting');
    readable = true;
    await restarted.drain(async () => undefined);
    await pausing;

    const close = expect.objectContaining({ command: { kind: 'close', positionId: '7', requestedBy: 'telegram:owner' } });
    expect(puts.length).toBeGreaterThan(0);
    for (const written of puts) expect(written).toContainEqual(close);
    expect(await recording.get('owner-requests')).toEqual([close]);
    expect((await restarted.unfinished()).map((request) => request.command.kind)).toEqual(['close']);
  });

  it('when the note cannot be written, then the command is still carried out', async () => {
    const state: TradingStateRepository = { get: async () => undefined, put: async () => Promise.reject(new Error('database restarting')) };
    const queue = new OwnerCommandQueue({ state, clock });
    const pausing = queue.submit({ kind: 'pause', requestedBy: 'web:owner' });
    const carried: string[] = [];

    await queue.drain(async (command) => carried.push(command.kind));

    await expect(pausing).resolves.toBe(1);
    expect(carried).toEqual(['pause']);
  });
});
