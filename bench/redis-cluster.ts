/**
 * Throughput of the throttler's storage call and of the revocation check on one Redis vs a Redis Cluster
 * (3 masters + 3 replicas), both started here on loopback, driven by the same client code as in
 * production (`RedisStore` under `BastionThrottlerStorage`, `RedisSecurityStore` under
 * `RevocationService`). Distinct keys (10,000 trackers, 10,000 tokens) so they spread over the slots;
 * `CONCURRENCY` calls in flight; interleaved rounds; reports calls/s and the client's CPU µs per call.
 *
 *   cd bench && node --import @swc-node/register/esm-register redis-cluster.ts [seconds per run] [rounds] [concurrency]
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { SecurityEvents } from '../packages/nest/src/audit/security-events.service.js';
import type { Principal } from '../packages/nest/src/core/principal.js';
import { resolveConfig } from '../packages/nest/src/options/resolve-config.js';
import { RevocationService } from '../packages/nest/src/revocation/revocation.service.js';
import { createSecurityStateStore, createStore } from '../packages/nest/src/stores/store.factory.js';
import type { StoreOptions } from '../packages/nest/src/stores/store-options.js';
import { BastionThrottlerStorage } from '../packages/nest/src/throttling/bastion-throttler.storage.js';
import { startTestRedis } from '../packages/nest/test/support/redis.js';
import { startTestRedisCluster } from '../packages/nest/test/support/redis-cluster.js';

const SECONDS = Number(process.argv[2] ?? 5);
const ROUNDS = Number(process.argv[3] ?? 2);
const CONCURRENCY = Number(process.argv[4] ?? 64);
const KEYS = 10_000;

async function measure(call: (i: number) => Promise<unknown>): Promise<{ perSecond: number; cpuUsPerCall: number }> {
  for (let i = 0; i < 2_000; i++) await call(i); // warm-up: connections, scripts loaded, JIT
  let n = 0;
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const deadline = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < deadline) await call(n++);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { perSecond: n / seconds, cpuUsPerCall: (used.user + used.system) / n };
}

const principal = (i: number): Principal => ({
  subject: `user-${i % KEYS}`,
  clientId: `client-${i % 100}`,
  credential: 'jwt',
  scopes: new Set(),
  roles: new Set(),
  tokenId: `jti-${i % KEYS}`,
  claims: { iat: Math.floor(Date.now() / 1000) - 10, exp: Math.floor(Date.now() / 1000) + 600 },
});

async function target(name: string, store: StoreOptions) {
  const counters = await createStore(store);
  const security = await createSecurityStateStore(store, { counters });
  const throttler = new BastionThrottlerStorage(counters);
  const revocation = new RevocationService(security, new SecurityEvents(null), resolveConfig({}));
  // A realistic share of revoked tokens: 1 in 100.
  for (let i = 0; i < KEYS; i += 100) await revocation.revokeToken(`jti-${i}`);
  return {
    name,
    throttle: (i: number) => throttler.increment(`bench:${i % KEYS}`, 60_000, 1_000_000, 0, 'default'),
    revocation: (i: number) => revocation.isRevoked(principal(i)),
    close: async () => {
      await security.close?.();
      await counters.close?.();
    },
  };
}

const single = (await startTestRedis())!;
const cluster = (await startTestRedisCluster())!;
if (!single || !cluster) throw new Error('redis-server and redis-cli are needed');
const targets = [await target('one Redis', { type: 'redis', url: single.url }), await target('Redis Cluster (3 masters)', { type: 'redis', nodes: cluster.nodes })];

const results = new Map<string, { perSecond: number[]; cpu: number[] }>();
for (let round = 0; round < ROUNDS; round++) {
  for (const t of targets) {
    for (const op of ['throttle', 'revocation'] as const) {
      const r = await measure(t[op]);
      const key = `${op}|${t.name}`;
      const entry = results.get(key) ?? { perSecond: [], cpu: [] };
      entry.perSecond.push(r.perSecond);
      entry.cpu.push(r.cpuUsPerCall);
      results.set(key, entry);
      console.log(`round ${round + 1} ${op} ${t.name}: ${Math.round(r.perSecond)} calls/s, ${r.cpuUsPerCall.toFixed(1)} µs CPU/call`);
    }
  }
}
for (const t of targets) await t.close();
await single.stop();
await cluster.stop();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const row = (op: string, name: string) => results.get(`${op}|${name}`)!;
const lines = [
  `# Redis: one server vs a cluster`,
  '',
  `${SECONDS} s per run, ${ROUNDS} interleaved rounds (median), ${CONCURRENCY} calls in flight, ${KEYS.toLocaleString('en')} distinct keys; ` +
    `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), load average ${loadavg()[0]!.toFixed(1)} at the end. Client, servers and cluster on one machine.`,
  '',
  '| call | one Redis | Redis Cluster (3 masters + 3 replicas) | cluster / one |',
  '|---|---|---|---|',
  ...(['throttle', 'revocation'] as const).map((op) => {
    const a = row(op, targets[0]!.name);
    const b = row(op, targets[1]!.name);
    const label = op === 'throttle' ? 'throttler storage `increment` (1 Lua script)' : 'revocation check `isRevoked` (3 GETs)';
    return `| ${label} | ${Math.round(median(a.perSecond)).toLocaleString('en')}/s, ${median(a.cpu).toFixed(1)} µs CPU | ${Math.round(median(b.perSecond)).toLocaleString('en')}/s, ${median(b.cpu).toFixed(1)} µs CPU | ${(median(b.perSecond) / median(a.perSecond)).toFixed(2)}× |`;
  }),
  '',
];
console.log(lines.join('\n'));
writeFileSync(new URL('./redis-cluster.results.md', import.meta.url), lines.join('\n'));
