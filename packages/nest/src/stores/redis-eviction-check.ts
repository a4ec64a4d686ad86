import type { Redis } from 'ioredis';
import { isCluster, type RedisClient } from './redis-client.js';

/** What to do at boot when the Redis holding security state may evict it. */
export type EvictionCheck = 'refuse' | 'warn' | 'off';

/** The verdict on one Redis deployment. */
export type EvictionVerdict =
  | { kind: 'safe' }
  | { kind: 'unsafe'; servers: { server: string; policy: string }[] }
  | { kind: 'unknown'; why: string }
  | { kind: 'unreachable' };

async function readPolicy(server: Redis): Promise<string> {
  const reply = await server.config('GET', 'maxmemory-policy');
  return Array.isArray(reply) ? String(reply[1] ?? '') : '';
}

/**
 * Every node of a cluster as `CLUSTER NODES` lists it (masters and replicas, whether or not the client
 * holds a connection to it: clients only learn of replicas once they appear in `CLUSTER SLOTS`), minus
 * nodes flagged failed or without an address.
 */
function clusterAddresses(text: string): { host: string; port: number }[] {
  return text
    .trim()
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter((f) => f.length >= 3 && !/fail|noaddr|handshake/.test(f[2]!))
    .map((f) => {
      const address = f[1]!.split('@')[0]!;
      const colon = address.lastIndexOf(':');
      return { host: address.slice(0, colon).replace(/^\[|\]$/g, ''), port: Number(address.slice(colon + 1)) };
    })
    .filter((a) => a.host !== '' && a.port > 0);
}

/** The policy of every server behind `client`; a cluster's nodes through short-lived connections of their own. */
async function readAll(client: RedisClient): Promise<{ server: string; policy: string }[]> {
  if (!isCluster(client)) return [{ server: `${client.options.host ?? '?'}:${client.options.port ?? '?'}`, policy: await readPolicy(client) }];
  const nodes = clusterAddresses(String(await client.cluster('NODES')));
  const { Redis: RedisClass } = await import('ioredis');
  const results: { server: string; policy: string }[] = [];
  for (const node of nodes) {
    const mapped = client.options.natMap && typeof client.options.natMap === 'object' ? (client.options.natMap as Record<string, { host: string; port: number }>)[`${node.host}:${node.port}`] : undefined;
    const server = new RedisClass({ ...client.options.redisOptions, ...(mapped ?? node), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: true });
    server.on('error', () => undefined);
    try {
      results.push({ server: `${node.host}:${node.port}`, policy: await readPolicy(server) });
    } finally {
      server.disconnect();
    }
  }
  return results;
}

/**
 * Reads `maxmemory-policy` on every server behind `client` (each master and replica of a cluster: a
 * replica becomes a master on failover). Only `noeviction` keeps keys until their TTL: every `allkeys-*`
 * policy evicts any key, and every `volatile-*` policy evicts keys that HAVE a TTL — which every security
 * key has. Any other policy is unsafe even while `maxmemory` is 0 (unlimited): it states the intent to
 * evict, and is one `CONFIG SET maxmemory` away from doing it. `unknown` when a server refuses `CONFIG`
 * (managed services often do), `unreachable` when one does not answer.
 */
export async function readEvictionPolicy(client: RedisClient): Promise<EvictionVerdict> {
  let servers: { server: string; policy: string }[];
  try {
    servers = await readAll(client);
  } catch (error) {
    // A refused command (renamed CONFIG, ACL without +config) vs. a server that cannot answer.
    if (/unknown command|NOPERM|no permissions/i.test(String((error as Error)?.message))) return { kind: 'unknown', why: 'CONFIG GET is not allowed' };
    return { kind: 'unreachable' };
  }
  if (servers.length === 0) return { kind: 'unreachable' };
  const unsafe = servers.filter((s) => s.policy !== 'noeviction').map((s) => ({ server: s.server, policy: s.policy || '(unreadable)' }));
  return unsafe.length === 0 ? { kind: 'safe' } : { kind: 'unsafe', servers: unsafe };
}

/** The operator-facing text for a verdict that is not `safe`, naming the options that fix it. */
export function describeEvictionRisk(verdict: Extract<EvictionVerdict, { kind: 'unsafe' | 'unknown' }>, redisOption: string): string {
  if (verdict.kind === 'unknown') {
    return `cannot verify that the Redis in "${redisOption}" never evicts security state (${verdict.why}): make sure its maxmemory-policy is "noeviction", then set "store.evictionCheck": "off"`;
  }
  const list = verdict.servers.map((s) => `${s.server} has maxmemory-policy "${s.policy}"`).join(', ');
  return `the Redis in "${redisOption}" can evict revocations, blocks and replay nonces (${list}): set "maxmemory-policy noeviction" there, or keep security state on a Redis of its own with "store.security"`;
}
