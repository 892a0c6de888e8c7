// The CPU time of the calling thread alone. process.cpuUsage() counts every thread of the process, V8's background
// compiler and garbage-collector threads included; a sweep's scaling depends on how much of a trial runs there.
import { readFileSync } from 'node:fs';

/** Milliseconds the calling thread has run on a core, or undefined where the kernel does not say (not Linux). */
export function threadCpuMs(): number | undefined {
  try {
    // The first field is the thread's time on a core, in nanoseconds.
    const nanoseconds = Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
    return Number.isFinite(nanoseconds) ? nanoseconds / 1e6 : undefined;
  } catch {
    return undefined;
  }
}
