import { createHash } from 'node:crypto';
import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Authenticated,
  BASTION_SECURITY_STATE,
  BASTION_THROTTLER,
  BastionModule,
  Public,
  RevocationService,
  configureBastion,
  rememberOnce,
  type SecurityStateStore,
} from '../../src/index.js';
import { generateApiKey } from '../../src/authentication/api-key/api-key-format.js';
import { RedisApiKeyStore } from '../../src/authentication/api-key/redis-api-key.store.js';
import { failFastClusterOptions } from '../../src/stores/redis-client.js';
import { RedisSecurityStore } from '../../src/stores/redis-security.store.js';
import { RedisStore } from '../../src/stores/redis.store.js';
import { createSecurityStateStore, createStore } from '../../src/stores/store.factory.js';
import { BruteForceService } from '../../src/throttling/brute-force.service.js';
import { BastionConfigError } from '../../src/options/assert.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { capturedAuditEvents } from '../support/log-capture.js';
import { masterIn, slotOf, startTestRedisCluster, type ClusterNodeInfo } from '../support/redis-cluster.js';
import { bearer, getFrom } from '../throttling/local-client.js';

// One real cluster for the whole file (3 masters + 3 replicas on loopback): starting one takes seconds.
const cluster = await startTestRedisCluster();

describe.runIf(cluster)('Redis Cluster', () => {
  const closers: (() => unknown)[] = [];
  afterAll(async () => {
    for (const close of closers) await close();
    await cluster?.stop();
  });

  it('spreads keys over every master; every Lua script and security write works across slots', async () => {
    const options = { type: 'redis', nodes: cluster!.nodes, keyPrefix: 'spread:' } as const;
    const counters = await createStore(options);
    const security = await createSecurityStateStore(options, { counters });
    closers.push(() => security.close?.(), () => counters.close?.());
    const topology = await cluster!.topology();
    // The local slot function agrees with the server's.
    expect(slotOf('spread:c1')).toBe(Number((await cluster!.cli(topology[0]!.port, 'CLUSTER', 'KEYSLOT', 'spread:c1')).trim()));
    const masters = new Set<string>();
    for (let i = 0; i < 24; i++) {
      expect(await counters.increment(`c${i}`, 60_000)).toMatchObject({ count: 1 });
      expect((await counters.increment(`c${i}`, 60_000)).count).toBe(2);
      expect(await counters.hitSliding(`w${i}`, 60_000)).toBe(1);
      expect(await counters.setIfAbsent(`n${i}`, 'v', 60_000)).toBe(true);
      await security.put('revocation', `jti:${i}`, '1', 60_000);
      expect(await rememberOnce(security, `nonce-${i}`, 60_000)).toBe(true);
      expect(await rememberOnce(security, `nonce-${i}`, 60_000)).toBe(false);
      masters.add(masterIn(topology, `spread:c${i}`).id);
      masters.add(masterIn(topology, `spread:sec:revocation:jti:${i}`).id);
    }
    expect(masters.size).toBe(3);
    for (let i = 0; i < 24; i++) expect(await security.get('revocation', `jti:${i}`)).toBe('1');
  });

  it("accepts an ioredis Cluster client (left open on close), and checks every node's eviction policy at boot", async () => {
    const client = new Cluster(cluster!.nodes.slice(0, 1).map((url) => ({ host: '127.0.0.1', port: Number(new URL(url).port) })), failFastClusterOptions());
    closers.push(() => client.disconnect());
    await new Promise((resolve) => client.once('ready', resolve));
    const counters = await createStore({ type: 'redis', client });
    expect((counters as RedisStore).client).toBe(client);
    const security = await createSecurityStateStore({ type: 'redis', client }, { counters });
    expect((security as RedisSecurityStore).client).toBe(client);
    // One replica that may evict is enough to refuse: a replica becomes a master on failover.
    const replica = (await cluster!.topology()).find((n) => n.role === 'replica')!;
    await cluster!.cli(replica.port, 'CONFIG', 'SET', 'maxmemory-policy', 'volatile-lru');
    try {
      const error = await createSecurityStateStore({ type: 'redis', client }, { counters }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BastionConfigError);
      expect((error as Error).message).toContain(`127.0.0.1:${replica.port} has maxmemory-policy "volatile-lru"`);
    } finally {
      await cluster!.cli(replica.port, 'CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    }
    expect(client.status).toBe('ready');
  });

  it('keeps API key records and owner indexes on any slot: saves, lists, revokes through a Cluster client', async () => {
    const client = new Cluster(cluster!.nodes.slice(0, 1).map((url) => ({ host: '127.0.0.1', port: Number(new URL(url).port) })), failFastClusterOptions());
    closers.push(() => client.disconnect());
    await new Promise((resolve) => client.once('ready', resolve));
    const store = new RedisApiKeyStore(client, 'keys:');
    const topology = await cluster!.topology();
    const masters = new Set<string>();
    let crossSlot = 0;
    for (let i = 0; i < 12; i++) {
      const owner = `svc-${i}`;
      const records = [0, 1].map(() => {
        const { id, hash } = generateApiKey();
        return { id, hash, owner, scopes: ['x'], createdAt: new Date(), expiresAt: new Date(Date.now() + 60_000) };
      });
      for (const r of records) await store.save(r);
      expect((await store.listByOwner(owner)).map((r) => r.id).sort()).toEqual(records.map((r) => r.id).sort());
      expect(await store.revoke(records[0]!.id, new Date())).toBe(true);
      expect((await store.find(records[0]!.id))?.revokedAt).toBeInstanceOf(Date);
      expect((await store.find(records[1]!.id))?.revokedAt).toBeUndefined();
      for (const r of records) {
        masters.add(masterIn(topology, `keys:apikey:${r.id}`).id);
        if (slotOf(`keys:apikey:${r.id}`) !== slotOf(`keys:apikey-owner:${owner}`)) crossSlot++;
      }
    }
    // The records really lie apart from their owners' indexes (a cross-key transaction would fail with CROSSSLOT).
    expect(crossSlot).toBeGreaterThan(0);
    expect(masters.size).toBe(3);
  });

  @Controller()
  class ApiController {
    @Get('open')
    @Public()
    open() {
      return { ok: true };
    }

    @Get('data')
    @Authenticated()
    data() {
      return { ok: true };
    }
  }

  describe.each(ADAPTERS)('failover of one master mid-run (%s)', (adapter) => {
    const prefix = `fo-${adapter}:`;
    let issuer: TestIssuer;
    let running: RunningApp;
    let security: SecurityStateStore;
    let victim: ClusterNodeInfo;
    let replica: ClusterNodeInfo;

    beforeAll(async () => {
      issuer = await TestIssuer.start();
      @Module({
        imports: [
          BastionModule.forRoot({
            jwt: issuer.options(),
            trustedProxies: ['127.0.0.1'],
            https: { enforce: false },
            store: { type: 'redis', nodes: cluster!.nodes, keyPrefix: prefix },
            throttle: { anonymous: { limit: 5, ttl: 600_000 }, failMode: 'closed' },
            bruteForce: { maxFailures: 3 },
          }) as DynamicModule,
        ],
        controllers: [ApiController],
      })
      class AppModule {}
      running = await startApp(AppModule, adapter, configureBastion);
      security = running.app.get(BASTION_SECURITY_STATE);
      // The master to kill: one that still has a replica (an earlier run may have used up another).
      const topology = await cluster!.topology();
      victim = topology.find((n) => n.role === 'master' && topology.some((r) => r.masterId === n.id))!;
      replica = topology.find((r) => r.masterId === victim.id)!;
    });
    afterAll(async () => {
      await running?.close();
      await issuer?.close();
    });

    /** `count` names from `make(i)` whose store keys (`key(name)`) all live on the victim (`onVictim`) or all elsewhere. */
    async function pick(count: number, onVictim: boolean, make: (i: number) => string, key: (name: string) => string | string[]): Promise<string[]> {
      const topology = await cluster!.topology();
      const names: string[] = [];
      for (let i = 0; names.length < count; i++) {
        const name = make(i);
        if ([key(name)].flat().every((k) => (masterIn(topology, k).id === victim.id) === onVictim)) names.push(name);
      }
      return names;
    }
    const from = (client: string, token?: string) =>
      getFrom(`${running.url}${token ? '/data' : '/open'}`, { localAddress: '127.0.0.1', headers: { ...(token ? bearer(token) : {}), 'x-forwarded-for': client } });
    const reasonOf = (res: { headers: Record<string, string> }) => capturedAuditEvents().find((e) => e.requestId === res.headers['x-request-id'])?.reason;

    it(
      'the fail mode applies to the lost shard only, then everything recovers once a replica is promoted — with every revocation, block, nonce and counter kept',
      async () => {
        const jtiKey = (jti: string) => `${prefix}sec:revocation:jti:${jti}`;
        const blockKey = (ip: string) => `${prefix}sec:block:${ip}`;
        const nonceKey = (n: string) => `${prefix}sec:nonce:${n}`;
        const revokedOnVictim = await pick(2, true, (i) => `rv-${i}`, jtiKey);
        const revokedElsewhere = await pick(2, false, (i) => `re-${i}`, jtiKey);
        const blockedOnVictim = await pick(1, true, (i) => `192.0.2.${i + 1}`, blockKey);
        const blockedElsewhere = await pick(1, false, (i) => `198.51.100.${i + 1}`, blockKey);
        const [nonceOnVictim] = await pick(1, true, (i) => `nv-${i}`, nonceKey);
        const [nonceElsewhere] = await pick(1, false, (i) => `ne-${i}`, nonceKey);
        const [unsureJti] = await pick(1, true, (i) => `uj-${i}`, jtiKey);
        const [freshNonce] = await pick(1, true, (i) => `fn-${i}`, nonceKey);
        // Clients whose own block entries are elsewhere, so that their requests reach the revocation check
        // (one each: every rejected token counts as a failed authentication for its client), and whose
        // anonymous throttle counter is elsewhere too (a rejected credential is charged to it).
        const anonymousCounterKey = (ip: string) => `${prefix}throttle:${createHash('sha256').update(`${BASTION_THROTTLER}|api|ip:${ip}`).digest('base64url')}`;
        const probers = await pick(7, false, (i) => `203.0.113.${200 + i}`, (ip) => [blockKey(ip), anonymousCounterKey(ip)]);

        // Before: revocations, blocks, nonces and throttling all work.
        const revocation = running.app.get(RevocationService);
        const tokens = new Map<string, string>();
        for (const jti of [...revokedOnVictim, ...revokedElsewhere]) {
          tokens.set(jti, await issuer.sign({ sub: `s-${jti}`, jti }));
          await revocation.revokeToken(jti);
        }
        for (const ip of [...blockedOnVictim, ...blockedElsewhere]) for (let i = 0; i < 3; i++) expect((await from(ip, `bad-${i}`)).status).toBe(401);
        await running.app.get(BruteForceService).settled();
        const valid = await issuer.sign({ sub: 'valid' });
        for (const ip of [...blockedOnVictim, ...blockedElsewhere]) expect((await from(ip, valid)).status).toBe(429);
        expect(await rememberOnce(security, nonceOnVictim!, 600_000)).toBe(true);
        expect(await rememberOnce(security, nonceElsewhere!, 600_000)).toBe(true);
        const throttled = '203.0.113.77';
        const budget = [];
        for (let i = 0; i < 6; i++) budget.push((await from(throttled)).status);
        expect(budget).toEqual([200, 200, 200, 200, 200, 429]);

        // Replication is asynchronous: a write acknowledged to the victim after this marker is what a crash can lose.
        const [marker] = await pick(1, true, (i) => `marker-${i}`, (k) => k);
        const direct = new Redis(victim.port, '127.0.0.1');
        await direct.set(marker!, '1');
        expect(await direct.wait(1, 5_000)).toBe(1);
        direct.disconnect();

        // The crash: the victim dies; its replica is held back from taking over until the outage was seen.
        await cluster!.cli(replica.port, 'CONFIG', 'SET', 'cluster-replica-no-failover', 'yes');
        await cluster!.kill(victim.port);

        const clients = Array.from({ length: 40 }, (_, i) => `203.0.113.${i + 100}`);
        const during = await Promise.all(clients.map((ip) => from(ip)));
        const statuses = new Set(during.map((r) => r.status));
        // failMode 'closed': requests whose counters or block entries live on the lost shard get 503; the others pass.
        expect(statuses).toEqual(new Set([200, 503]));
        expect(during.find((r) => r.status === 503)!.json()).toMatchObject({ code: 'ERR_SERVICE_UNAVAILABLE' });
        // Revocation fails closed for tokens whose revocation entries live there.
        const unsure = await from(probers[0]!, await issuer.sign({ sub: 'u', jti: unsureJti }));
        expect(unsure.status).toBe(401);
        expect(reasonOf(unsure)).toBe('ERR_REVOCATION_UNAVAILABLE');
        // Replay nonces fail closed too: the caller must refuse the message.
        await expect(rememberOnce(security, freshNonce!, 600_000)).rejects.toThrow();

        // Recovery: let the replica take over; the client follows the new slot map.
        await cluster!.cli(replica.port, 'CONFIG', 'SET', 'cluster-replica-no-failover', 'no');
        await expect
          .poll(async () => (await Promise.all(clients.map((ip) => from(ip)))).every((r) => r.status === 200), { timeout: 30_000, interval: 250 })
          .toBe(true);
        expect((await cluster!.topology(replica.port)).find((n) => n.id === replica.id)?.role).toBe('master');

        // Nothing written before the crash was lost: revocations, blocks, nonces, counters.
        for (const [i, jti] of [...revokedOnVictim, ...revokedElsewhere].entries()) {
          const res = await from(probers[i + 1]!, tokens.get(jti));
          expect(res.status).toBe(401);
          expect(reasonOf(res)).toBe('ERR_TOKEN_REVOKED');
        }
        for (const ip of [...blockedOnVictim, ...blockedElsewhere]) expect((await from(ip, valid)).json()).toMatchObject({ code: 'ERR_CLIENT_BLOCKED' });
        expect(await rememberOnce(security, nonceOnVictim!, 600_000)).toBe(false);
        expect(await rememberOnce(security, nonceElsewhere!, 600_000)).toBe(false);
        expect((await from(throttled)).status).toBe(429);
        expect((await from(probers[6]!, valid)).status).toBe(200);
      },
      120_000,
    );
  });
});
