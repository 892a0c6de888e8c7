// One memory reading of this process, taken after a full garbage collection (the process must run with --expose-gc)
// so that the heap figure is what is still referenced rather than what the collector has not reached yet.

export interface MemorySample {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** Memory outside the JS heap that V8 knows of (WebAssembly memories, buffers). */
  readonly externalBytes: number;
}

export function sampleMemory(): MemorySample {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with --expose-gc');
  collect();
  const usage = process.memoryUsage();
  return { rssBytes: usage.rss, heapUsedBytes: usage.heapUsed, externalBytes: usage.external };
}
