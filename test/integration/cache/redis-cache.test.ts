// Against a real Redis (REDIS_URL). Skipped locally without the URL; in CI a missing URL or server fails.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openCache } from '../../../src/adapters/cache/open-cache.js';
import { RedisCache, createRedisClient } from '../../../src/adapters/cache/redis-cache.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { redisUrl, required, skipWithout, uniqueName } from '../../support/services.js';
import { nextEvent } from '../../support/tcp-proxy.js';

const url = redisUrl();
const systemClock = { now: () => new Date(), sleep: async () => {} };

describe.skipIf(skipWithout(url))('Redis cache', () => {
  const prefix = `${uniqueName('cache_test')}:`;
  let direct: Redis;
  let client: Redis;
  let cache: RedisCache;

  beforeAll(async () => {
    direct = new Redis(required(url, 'REDIS_URL'));
    client = createRedisClient({ url: required(url, 'REDIS_URL'), keyPrefix: prefix, logger: new RecordingLogger() });
    await nextEvent(client, 'ready');
    cache = new RedisCache(client, new RecordingLogger());
  });
  afterAll(async () => {
    const keys = await direct.keys(`${prefix}*`);
    if (keys.length > 0) await direct.del(...keys);
    client.disconnect();
    direct.disconnect();
  });

  it('when a value is set, then it is stored as JSON under the prefix with a millisecond expiry', async () => {
    await cache.set('vote:1', { action: 'long', confidence: 0.7 }, 60_000);
    expect(JSON.parse((await direct.get(`${prefix}vote:1`)) ?? 'null')).toEqual({ action: 'long', confidence: 0.7 });
    const ttl = await direct.pttl(`${prefix}vote:1`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('when a value is read back, then it passes through the schema', async () => {
    await cache.set('vote:2', { action: 'short', confidence: 0.6 }, 60_000);
    expect(await cache.get('vote:2', z.object({ action: z.string(), confidence: z.number() }))).toEqual({ action: 'short', confidence: 0.6 });
    expect(await cache.get('vote:2', z.number())).toBeUndefined();
    expect(await cache.get('never-set', z.number())).toBeUndefined();
  });

  it('when the stored text is not JSON, then it is a miss', async () => {
    await direct.set(`${prefix}garbled`, '{not json');
    expect(await cache.get('garbled', z.unknown())).toBeUndefined();
  });

  it('when Redis cannot be reached, then get is a miss and set is a no-op, without throwing', async () => {
    const offline = createRedisClient({ url: 'redis://127.0.0.1:1', keyPrefix: prefix, logger: new RecordingLogger() });
    try {
      const unreachable = new RedisCache(offline, new RecordingLogger());
      await expect(unreachable.set('k', 1, 1_000)).resolves.toBeUndefined();
      await expect(unreachable.get('k', z.number())).resolves.toBeUndefined();
      expect(unreachable.available).toBe(false);
    } finally {
      offline.disconnect();
    }
  });

  it('when opened with a URL, then the cache reads and writes Redis under its prefix', async () => {
    const logger = new RecordingLogger();
    const opened = await openCache({ redisUrl: required(url, 'REDIS_URL'), clock: systemClock, logger, keyPrefix: prefix });
    try {
      await opened.set('opened', [1, 2, 3], 10_000);
      expect(await direct.get(`${prefix}opened`)).toBe('[1,2,3]');
      expect(await opened.get('opened', z.array(z.number()))).toEqual([1, 2, 3]);
      expect(logger.lines.some((line) => line.message === 'cache opened' && (line.context as { backend?: string }).backend === 'redis')).toBe(true);
    } finally {
      await opened.close();
    }
  });
});

describe('opening the cache without Redis', () => {
  it('when no URL is given, then the in-process cache serves', async () => {
    const opened = await openCache({ clock: systemClock, logger: new RecordingLogger(), keyPrefix: 'x:' });
    await opened.set('k', { a: 1 }, 10_000);
    expect(await opened.get('k', z.object({ a: z.number() }))).toEqual({ a: 1 });
    await opened.close();
  });

  it('when the URL cannot be reached, then opening warns once and the in-process cache serves', async () => {
    const logger = new RecordingLogger();
    const opened = await openCache({ redisUrl: 'redis://127.0.0.1:1', clock: systemClock, logger, keyPrefix: 'x:' });
    try {
      await opened.set('k', 5, 10_000);
      expect(await opened.get('k', z.number())).toBe(5);
      expect(logger.lines.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([
        'redis unavailable, using in-process cache',
      ]);
    } finally {
      await opened.close();
    }
  });
});
