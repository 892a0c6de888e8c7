// Builds the daemon's cache: Redis with in-process fail-over when a URL is given, in-process only otherwise.
// The Redis client is imported only when a URL is given: without one, ioredis would take memory for nothing
// (about 20 MB resident in a fresh process).
import { once } from 'node:events';
import type { Cache } from '../../ports/cache.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import { FailoverCache } from './failover-cache.js';
import { InProcessCache } from './in-process-cache.js';

export interface OpenCacheOptions {
  readonly redisUrl?: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Namespaces the keys in a shared Redis, e.g. `trading:`. */
  readonly keyPrefix: string;
  readonly maxEntries?: number;
  readonly commandTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
}

export interface ClosableCache extends Cache {
  close(): Promise<void>;
}

export async function openCache(options: OpenCacheOptions): Promise<ClosableCache> {
  const logger = options.logger.child({ module: 'cache' });
  const local = new InProcessCache(
    options.clock,
    options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries },
  );
  if (!options.redisUrl) {
    logger.info({ backend: 'in-process' }, 'cache opened');
    return {
      get: (key, schema) => local.get(key, schema),
      set: (key, value, ttl) => local.set(key, value, ttl),
      close: async () => {},
    };
  }
  const { RedisCache, createRedisClient } = await import('./redis-cache.js');
  const connectTimeoutMs = options.connectTimeoutMs ?? 2_000;
  const redis = createRedisClient({
    url: options.redisUrl,
    keyPrefix: options.keyPrefix,
    logger,
    connectTimeoutMs,
    ...(options.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: options.commandTimeoutMs }),
  });
  // Start-up does not wait on Redis: a failed first connect means starting on the in-process cache.
  const ready = await once(redis, 'ready', { signal: AbortSignal.timeout(connectTimeoutMs) }).then(
    () => true,
    () => false,
  );
  const cache = new FailoverCache(new RedisCache(redis, logger), local, logger, { remoteUp: ready });
  if (ready) logger.info({ backend: 'redis' }, 'cache opened');
  else logger.warn({ backend: 'in-process' }, 'redis unavailable, using in-process cache');
  return {
    get: (key, schema) => cache.get(key, schema),
    set: (key, value, ttl) => cache.set(key, value, ttl),
    close: async () => {
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
