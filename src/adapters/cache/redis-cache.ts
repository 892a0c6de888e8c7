// Redis as the cache: JSON values with a PX expiry under a key prefix. Commands fail fast instead of queueing
// while Redis is away (no offline queue, short timeout), so a cache outage never stalls the trading loop.
import { Redis } from 'ioredis';
import type { Cache, Schema } from '../../ports/cache.js';
import type { Logger } from '../../ports/logger.js';

export interface RedisClientOptions {
  readonly url: string;
  readonly keyPrefix: string;
  readonly commandTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  readonly logger: Logger;
}

/** An ioredis client set up for caching; it reconnects by itself, backing off up to 2 s between attempts. */
export function createRedisClient(options: RedisClientOptions): Redis {
  const redis = new Redis(options.url, {
    keyPrefix: options.keyPrefix,
    commandTimeout: options.commandTimeoutMs ?? 500,
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
  // Without a listener ioredis reports every failed reconnect on stderr; the fail-over cache logs the outage once.
  redis.on('error', (error: Error) => options.logger.debug({ err: error.message }, 'redis connection error'));
  return redis;
}

/** The part of a remote cache the fail-over needs: calls that throw when the remote is unreachable. */
export interface RemoteCache {
  /** Connected and ready for commands right now. */
  readonly available: boolean;
  /** The stored value, undefined when absent. Throws on an outage. */
  read(key: string): Promise<unknown>;
  write(key: string, value: unknown, ttlMs: number): Promise<void>;
}

export class RedisCache implements Cache, RemoteCache {
  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
  ) {}

  get available(): boolean {
    return this.redis.status === 'ready';
  }

  async read(key: string): Promise<unknown> {
    const text = await this.redis.get(key);
    if (text === null) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }

  async write(key: string, value: unknown, ttlMs: number): Promise<void> {
    const json = JSON.stringify(value);
    if (json === undefined || !(ttlMs > 0)) {
      await this.redis.del(key);
      return;
    }
    await this.redis.set(key, json, 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async get<T>(key: string, schema: Schema<T>): Promise<T | undefined> {
    try {
      const parsed = schema.safeParse(await this.read(key));
      return parsed.success ? parsed.data : undefined;
    } catch (error) {
      this.logger.debug({ key, err: (error as Error).message }, 'redis get failed; treated as a miss');
      return undefined;
    }
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    try {
      await this.write(key, value, ttlMs);
    } catch (error) {
      this.logger.debug({ key, err: (error as Error).message }, 'redis set failed; value not cached');
    }
  }
}
