// A cache inside this process: TTL on the injected clock (so replays expire entries in simulated time) and a hard
// cap on entries with least-recently-used eviction, so a long run cannot grow memory without bound.
import type { Cache, Schema } from '../../ports/cache.js';
import type { Clock } from '../../ports/clock.js';

interface Entry {
  /** Stored as JSON, like Redis does, so both caches hand back the same shapes (dates as strings, no aliasing). */
  readonly json: string;
  readonly expiresAt: number;
}

export interface InProcessCacheOptions {
  readonly maxEntries?: number;
}

export const DEFAULT_MAX_ENTRIES = 2_000;

export class InProcessCache implements Cache {
  // A Map iterates in insertion order; re-inserting on use keeps the least recently used entry first.
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;

  constructor(
    private readonly clock: Clock,
    options: InProcessCacheOptions = {},
  ) {
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
  }

  get size(): number {
    return this.entries.size;
  }

  async get<T>(key: string, schema: Schema<T>): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.clock.now().getTime()) return undefined;
    this.entries.set(key, entry);
    const parsed = schema.safeParse(JSON.parse(entry.json));
    return parsed.success ? parsed.data : undefined;
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    this.entries.delete(key);
    const json = JSON.stringify(value);
    if (json === undefined || !(ttlMs > 0)) return;
    this.entries.set(key, { json, expiresAt: this.clock.now().getTime() + ttlMs });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }
}
