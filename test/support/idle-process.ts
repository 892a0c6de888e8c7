// A live process that does nothing until its stdin closes: a pid that stands for another program (another daemon, a
// bystander) in tests of what names a process.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export async function idleProcess(): Promise<{ pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['-e', 'process.stdin.resume(); process.stdin.on("end", () => process.exit(0))'], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  await once(child, 'spawn');
  return {
    pid: child.pid as number,
    stop: async () => {
      const exited = once(child, 'exit');
      child.stdin.end();
      await exited;
    },
  };
}
