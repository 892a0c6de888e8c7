// The flags a sweep worker gives the child that runs its trials: its own (less the inspector's), one V8 helper thread
// unless it chose a pool size itself, and tsx's loader for a TypeScript processor it does not already load.
import { describe, expect, it } from 'vitest';
import { childExecArgv } from '../../../../src/adapters/queue/bullmq-sweep-queue.js';

const compiled = new URL('file:///app/dist/cli/sweep-trial-processor.js');
const typescript = new URL('file:///app/src/cli/sweep-trial-processor.ts');

describe('the trial child\'s Node flags', () => {
  it('when the worker runs compiled with no flags, then the child gets one V8 helper thread and nothing else', () => {
    expect(childExecArgv(compiled, [])).toEqual(['--v8-pool-size=1']);
  });

  it('when the worker was started with its own pool size, then that one is kept', () => {
    expect(childExecArgv(compiled, ['--v8-pool-size=2', '--max-old-space-size=512'])).toEqual(['--v8-pool-size=2', '--max-old-space-size=512']);
  });

  it('when the worker is being inspected, then the child does not try to open the same inspector port', () => {
    expect(childExecArgv(compiled, ['--inspect=9229', '--enable-source-maps'])).toEqual(['--enable-source-maps', '--v8-pool-size=1']);
  });

  it('when the processor is TypeScript, then tsx is loaded in the child unless the worker already loads it', () => {
    expect(childExecArgv(typescript, [])).toEqual(['--v8-pool-size=1', '--import', 'tsx']);
    expect(childExecArgv(typescript, ['--import', 'tsx'])).toEqual(['--import', 'tsx', '--v8-pool-size=1']);
  });
});
