import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import * as scripts from '../../src/stores/redis-scripts.js';
import { RedisStore, createRedisStore, failFastRedisOptions } from '../../src/stores/redis.store.js';
import { startTestRedis } from '../support/redis.js';
import { storeContract } from './store-contract.js';

const redis = await startTestRedis();

describe.runIf(redis)('RedisStore', () => {
  const clients: Redis[] = [];
  const stores: RedisStore[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    clients.forEach((c) => c.disconnect());
    await redis?.stop();
  });

  describe('contract', () => {
    let shared: RedisStore | undefined;
    storeContract(async () => {
      if (!shared) {
        const client = new Redis(redis!.url, failFastRedisOptions());
        clients.push(client);
        await new Promise((resolve) => client.once('ready', resolve));
        shared = new RedisStore(client, { keyPrefix: 'contract:' });
      }
      return shared;
    }, { serverClock: true });
  });

  it('prefixes every key and expires them on the server', async () => {
    const store = await createRedisStore(redis!.url, { keyPrefix: 'pfx:' });
    stores.push(store);
    await store.set('a', '1', 60_000);
    await store.increment('b', 60_000);
    await store.hitSliding('c', 60_000);
    const keys = (await store.client.keys('*')).filter((k) => /^(pfx:)?[abc]$/.test(k)).sort();
    expect(keys).toEqual(['pfx:a', 'pfx:b', 'pfx:c']);
    for (const k of keys) {
      const ttl = await store.client.pttl(k);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
  });

  it('caps the hits kept per sliding key', async () => {
    const store = await createRedisStore(redis!.url, { keyPrefix: 'cap:', maxHitsPerKey: 3 });
    stores.push(store);
    let count = 0;
    for (let i = 0; i < 10; i++) count = await store.hitSliding('k', 60_000);
    expect(count).toBe(3);
    expect(await store.client.zcard('cap:k')).toBe(3);
  });

  it.runIf(redis?.managed)('rejects at once while Redis is down (never hangs, never crashes) and recovers', async () => {
    const store = await createRedisStore(redis!.url, { keyPrefix: 'down:' });
    stores.push(store);
    expect((await store.increment('k', 60_000)).count).toBe(1);
    await redis!.stop();
    await expect(store.increment('k', 60_000)).rejects.toThrow();
    await expect(store.get('k')).rejects.toThrow();
    await expect(store.setIfAbsent('n', 'v', 1_000)).rejects.toThrow();
    await redis!.start();
    await expect.poll(() => store.increment('k', 60_000).then((r) => r.count).catch(() => -1), { timeout: 10_000, interval: 100 }).toBeGreaterThan(0);
  });
});

describe('Lua scripts and Redis Cluster', () => {
  it('every script reads and writes KEYS[1] only, so no call spans hash slots', () => {
    const all = Object.values(scripts).filter((v): v is scripts.LuaScript => typeof v === 'object' && v !== null && 'source' in v);
    expect(all.length).toBeGreaterThan(0);
    for (const { source } of all) {
      expect([...new Set([...source.matchAll(/KEYS\[(\d+)\]/g)].map((m) => m[1]))]).toEqual(['1']);
      // A key built inside the script would not be declared to the cluster router.
      expect(source).not.toMatch(/redis\.call\([^,]+,\s*['"]/);
    }
  });
});

