import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BastionModule } from '../../src/bastion.module.js';
import { BastionConfigError } from '../../src/options/assert.js';
import { failFastRedisOptions } from '../../src/stores/redis-client.js';
import { RedisSecurityStore } from '../../src/stores/redis-security.store.js';
import { RedisStore } from '../../src/stores/redis.store.js';
import { SecurityStateFullError, type SecurityStateFull, type SecurityStateStore } from '../../src/stores/security-state.interface.js';
import { createSecurityStateStore, createStore } from '../../src/stores/store.factory.js';
import type { StoreOptions } from '../../src/stores/store-options.js';
import { testLogger } from '../support/log-capture.js';
import { startTestRedis } from '../support/redis.js';
import { securityStateContract } from './security-state-contract.js';

const redis = await startTestRedis();
// A managed-Redis look-alike: CONFIG is disabled, so the eviction policy cannot be read.
const noConfig = await startTestRedis(['--rename-command', 'CONFIG', '']);

describe.runIf(redis && noConfig)('RedisSecurityStore', () => {
  const admin = redis ? new Redis(redis.url, failFastRedisOptions()) : undefined;
  const closers: (() => Promise<unknown> | void)[] = [];
  afterEach(async () => {
    await admin!.config('SET', 'maxmemory-policy', 'noeviction');
    await admin!.config('SET', 'maxmemory', '0');
  });
  afterAll(async () => {
    for (const close of closers) await close();
    admin?.disconnect();
    await redis?.stop();
    await noConfig?.stop();
  });

  async function build(options: StoreOptions, onFull?: (info: SecurityStateFull) => void): Promise<{ counters: Awaited<ReturnType<typeof createStore>>; security: SecurityStateStore }> {
    const counters = await createStore(options);
    const security = await createSecurityStateStore(options, { counters, onFull });
    closers.push(() => security.close?.(), () => counters.close?.());
    return { counters, security };
  }

  describe('contract', () => {
    let shared: RedisSecurityStore | undefined;
    securityStateContract(async () => {
      if (!shared) {
        const client = new Redis(redis!.url, failFastRedisOptions());
        closers.push(() => client.disconnect());
        await new Promise((resolve) => client.once('ready', resolve));
        shared = new RedisSecurityStore(client, { keyPrefix: 'contract:' });
      }
      return shared;
    }, { serverClock: true });
  });

  it('keeps every security key under its own namespace, always with a TTL, next to the counters on one connection', async () => {
    const { counters, security } = await build({ type: 'redis', url: redis!.url, keyPrefix: 'ns:' });
    expect((security as RedisSecurityStore).client).toBe((counters as RedisStore).client);
    await security.put('revocation', 'jti:a', '1', 60_000);
    await security.putIfAbsent('nonce', 'n1', '1', 30_000);
    await security.put('block', '203.0.113.9', '1:1', 86_400_000);
    await counters.increment('throttle:x', 60_000);
    const keys = (await admin!.keys('ns:*')).sort();
    expect(keys).toEqual(['ns:sec:block:203.0.113.9', 'ns:sec:nonce:n1', 'ns:sec:revocation:jti:a', 'ns:throttle:x']);
    for (const key of keys) expect(await admin!.pttl(key)).toBeGreaterThan(0);
  });

  it('a Redis out of memory (noeviction) refuses the write: SecurityStateFullError + onFull, and nothing already stored is lost', async () => {
    const full: SecurityStateFull[] = [];
    const { security } = await build({ type: 'redis', url: redis!.url, keyPrefix: 'oom:' }, (info) => full.push(info));
    for (let i = 0; i < 100; i++) await security.put('revocation', `jti:${i}`, '1', 600_000);
    // Any write now finds used memory above maxmemory.
    await admin!.config('SET', 'maxmemory', '1');
    const error = await security.put('block', 'flood', '1:1', 600_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecurityStateFullError);
    expect(error).toMatchObject({ kind: 'block', option: 'the maxmemory of the Redis in "store"' });
    expect(full[0]).toEqual({ kind: 'block', limit: undefined, option: 'the maxmemory of the Redis in "store"' });
    await expect(security.putIfAbsent('nonce', 'n', '1', 1_000)).rejects.toBeInstanceOf(SecurityStateFullError);
    for (let i = 0; i < 100; i++) expect(await security.get('revocation', `jti:${i}`)).toBe('1');
  });

  describe('eviction check at boot', () => {
    for (const policy of ['allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'volatile-lru', 'volatile-ttl']) {
      it(`refuses a Redis whose maxmemory-policy is ${policy}, naming the option, and leaves no connection open`, async () => {
        await admin!.config('SET', 'maxmemory-policy', policy);
        const clientsBefore = Number(/connected_clients:(\d+)/.exec(await admin!.info('clients'))![1]);
        const counters = await createStore({ type: 'redis', url: redis!.url });
        const error = await createSecurityStateStore({ type: 'redis', url: redis!.url }, { counters }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BastionConfigError);
        expect((error as Error).message).toMatch(/^Bastion configuration: "store.evictionCheck" .*maxmemory-policy "/);
        expect((error as Error).message).toContain(policy);
        expect((error as Error).message).toContain('noeviction');
        await expect.poll(async () => Number(/connected_clients:(\d+)/.exec(await admin!.info('clients'))![1])).toBe(clientsBefore);
      });
    }

    it("'warn' boots anyway (the error is logged), 'off' does not look", async () => {
      await admin!.config('SET', 'maxmemory-policy', 'allkeys-lru');
      await expect(build({ type: 'redis', url: redis!.url, evictionCheck: 'warn' })).resolves.toBeDefined();
      await expect(build({ type: 'redis', url: redis!.url, evictionCheck: 'off' })).resolves.toBeDefined();
    });

    it('security state can live on a Redis of its own: the main one may then evict counters', async () => {
      await admin!.config('SET', 'maxmemory-policy', 'allkeys-lru');
      const { counters, security } = await build({ type: 'redis', url: redis!.url, keyPrefix: 'split:', security: { url: noConfig!.url }, evictionCheck: 'off' });
      expect((security as RedisSecurityStore).client).not.toBe((counters as RedisStore).client);
      await security.put('revocation', 'jti:z', '1', 60_000);
      await counters.increment('c', 60_000);
      expect(await admin!.exists('split:sec:revocation:jti:z')).toBe(0);
      expect(await admin!.exists('split:c')).toBe(1);
      const other = new Redis(noConfig!.url, failFastRedisOptions());
      closers.push(() => other.disconnect());
      await new Promise((resolve) => other.once('ready', resolve));
      expect(await other.get('split:sec:revocation:jti:z')).toBe('1');
    });

    it('a Redis that refuses CONFIG (managed services) cannot be verified: refused until the operator says "off"', async () => {
      const error = await build({ type: 'redis', url: noConfig!.url }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BastionConfigError);
      expect((error as Error).message).toContain('cannot verify');
      expect((error as Error).message).toContain('"store.evictionCheck": "off"');
      await expect(build({ type: 'redis', url: noConfig!.url, evictionCheck: 'off' })).resolves.toBeDefined();
    });

    it('stops BastionModule at boot', async () => {
      await admin!.config('SET', 'maxmemory-policy', 'volatile-lru');
      @Module({ imports: [BastionModule.forRoot({ store: { type: 'redis', url: redis!.url } })] })
      class AppModule {}
      await expect(NestFactory.createApplicationContext(AppModule, { logger: testLogger(), abortOnError: false })).rejects.toThrow(/store\.evictionCheck/);
    });
  });
});
