import { serversOf, type RedisClient } from './redis-client.js';

/** What to do at boot when the Redis holding security state may evict it. */
export type EvictionCheck = 'refuse' | 'warn' | 'off';

/** The verdict on one Redis deployment. */
export type EvictionVerdict =
  | { kind: 'safe' }
  | { kind: 'unsafe'; servers: { server: string; policy: string }[] }
  | { kind: 'unknown'; why: string }
  | { kind: 'unreachable' };

/**
 * Reads `maxmemory-policy` on every server behind `client` (each master and replica of a cluster: a
 * replica becomes a master on failover). Only `noeviction` keeps keys until their TTL: every `allkeys-*`
 * policy evicts any key, and every `volatile-*` policy evicts keys that HAVE a TTL — which every security
 * key has. Any other policy is unsafe even while `maxmemory` is 0 (unlimited): it states the intent to
 * evict, and one `CONFIG SET maxmemory` away from doing it. `unknown` when a server refuses `CONFIG`
 * (managed services often do), `unreachable` when one does not answer.
 */
export async function readEvictionPolicy(client: RedisClient): Promise<EvictionVerdict> {
  const servers = serversOf(client);
  if (servers.length === 0) return { kind: 'unreachable' };
  const unsafe: { server: string; policy: string }[] = [];
  for (const server of servers) {
    let reply: unknown;
    try {
      reply = await server.config('GET', 'maxmemory-policy');
    } catch (error) {
      // A refused command (renamed CONFIG, ACL without +config) vs. a server that cannot answer.
      if (/unknown command|NOPERM|no permissions/i.test(String((error as Error)?.message))) return { kind: 'unknown', why: 'CONFIG GET is not allowed' };
      return { kind: 'unreachable' };
    }
    const policy = Array.isArray(reply) ? String(reply[1] ?? '') : '';
    if (policy !== 'noeviction') unsafe.push({ server: `${server.options.host ?? '?'}:${server.options.port ?? '?'}`, policy: policy || '(unreadable)' });
  }
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
