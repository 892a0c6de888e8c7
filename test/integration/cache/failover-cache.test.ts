// Redis goes away mid-run: a proxy between the client and the real Redis is cut, then restored.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FailoverCache } from '../../../src/adapters/cache/failover-cache.js';
import { InProcessCache } from '../../../src/adapters/cache/in-process-cache.js';
import { RedisCache, createRedisClient } from '../../../src/adapters/cache/redis-cache.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { redisUrl, required, skipWithout, uniqueName } from '../../support/services.js';
import { TcpProxy, nextEvent } from '../../support/tcp-proxy.js';

const url = redisUrl();
const systemClock = { now: () => new Date(), sleep: async () => {} };
const Vote = z.object({ action: z.string() });

describe.skipIf(skipWithout(url))('fail-over cache', () => {
  const prefix = `${uniqueName('failover_test')}:`;
  let proxy: TcpProxy;
  let direct: Redis;
  let client: Redis;
  let logger: RecordingLogger;
  let cache: FailoverCache;

  const messages = (level: 'warn' | 'info') => logger.lines.filter((line) => line.level === level).map((line) => line.message);

  beforeAll(async () => {
    const target = new URL(required(url, 'REDIS_URL'));
    proxy = await TcpProxy.start(target.hostname, Number(target.port || 6379));
    direct = new Redis(required(url, 'REDIS_URL'));
    logger = new RecordingLogger();
    const proxied = new URL(target.href);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    client = createRedisClient({ url: proxied.href, keyPrefix: prefix, logger });
    await nextEvent(client, 'ready');
    cache = new FailoverCache(new RedisCache(client, logger), new InProcessCache(systemClock), logger);
  });
  afterAll(async () => {
    client?.disconnect();
    await proxy?.cut();
    const keys = await direct.keys(`${prefix}*`);
    if (keys.length > 0) await direct.del(...keys);
    direct?.disconnect();
  });

  it('when Redis answers, then values go to Redis', async () => {
    await cache.set('before', { action: 'long' }, 60_000);
    expect(await direct.get(`${prefix}before`)).toBe('{"action":"long"}');
    expect(await cache.get('before', Vote)).toEqual({ action: 'long' });
    expect(messages('warn')).toEqual([]);
  });

  it('when Redis goes away, then one warning is logged and get/set keep working from the in-process cache', async () => {
    const closed = nextEvent(client, 'close');
    await proxy.cut();
    await closed;

    await cache.set('during', { action: 'short' }, 60_000);
    expect(await cache.get('during', Vote)).toEqual({ action: 'short' });
    expect(await cache.get('before', Vote)).toEqual({ action: 'long' });
    expect(await cache.get('never', Vote)).toBeUndefined();

    expect(messages('warn')).toEqual(['redis unavailable, using in-process cache']);
    expect(cache.usingRemote).toBe(false);
  });

  it('when Redis comes back, then one info line is logged and Redis is used again', async () => {
    const ready = nextEvent(client, 'ready');
    await proxy.restore();
    await ready;

    await cache.set('after', { action: 'long' }, 60_000);
    expect(await direct.get(`${prefix}after`)).toBe('{"action":"long"}');
    expect(await cache.get('after', Vote)).toEqual({ action: 'long' });

    expect(messages('info')).toEqual(['redis is back, using it again']);
    expect(messages('warn')).toHaveLength(1);
    expect(cache.usingRemote).toBe(true);
  });
});
