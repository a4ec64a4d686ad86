import { Logger } from '@nestjs/common';
import type { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';

/** A standalone `ioredis` client or a Redis Cluster client: both serve every store. */
export type RedisClient = Redis | Cluster;

/** A Redis Cluster seed node: `redis://[user:password@]host:port` (or `rediss://`), or `{ host, port }`. */
export type RedisNode = string | { host: string; port: number };

/** Where a Redis store connects: exactly one of a URL, cluster seed nodes, or a client you own. */
export interface RedisTarget {
  url?: string;
  nodes?: readonly RedisNode[];
  client?: RedisClient;
}

/**
 * Client settings that make a Redis outage fail fast instead of hanging requests: no offline queue,
 * no per-command retries, a command timeout, and endless background reconnection (capped backoff).
 */
export function failFastRedisOptions(commandTimeoutMs = 1_000): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2_000,
    retryStrategy: (times: number) => Math.min(100 * times, 2_000),
  };
}

/**
 * The same for a cluster: commands to a shard whose master is gone fail at once (the caller's fail mode
 * applies) while the client keeps refreshing the slot map, so it follows a promoted replica within about a
 * second of the cluster's own failover.
 */
export function failFastClusterOptions(commandTimeoutMs = 1_000, node: Partial<RedisOptions> = {}): ClusterOptions {
  const { retryStrategy: _perNode, enableOfflineQueue: _queue, ...redisOptions } = failFastRedisOptions(commandTimeoutMs);
  return {
    enableOfflineQueue: false,
    redisOptions: { ...redisOptions, ...node },
    clusterRetryStrategy: (times: number) => Math.min(100 * times, 2_000),
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    slotsRefreshTimeout: 2_000,
    slotsRefreshInterval: 1_000,
  };
}

function clusterNodes(nodes: readonly RedisNode[]): { seeds: { host: string; port: number }[]; node: Partial<RedisOptions> } {
  const node: Partial<RedisOptions> = {};
  const seeds = nodes.map((entry) => {
    if (typeof entry !== 'string') return { host: entry.host, port: entry.port };
    const url = new URL(entry);
    // Credentials and TLS are per cluster, not per seed: the first seed that names them sets them.
    if (url.username) node.username ??= decodeURIComponent(url.username);
    if (url.password) node.password ??= decodeURIComponent(url.password);
    if (url.protocol === 'rediss:') node.tls ??= {};
    return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 6379) };
  });
  return { seeds, node };
}

/**
 * Connects to `target` with fail-fast settings (a client passed in is used as it is and not owned).
 * Never throws because Redis is down: it waits up to 2 s for the first connection, then returns and
 * keeps reconnecting in the background — a Redis that is down at boot is the same as one that goes
 * down later.
 */
export async function connectRedis(target: RedisTarget, commandTimeoutMs?: number): Promise<{ client: RedisClient; owned: boolean }> {
  if (target.client) return { client: target.client, owned: false };
  // `ioredis` is an optional peer: loaded only when a Redis store is configured.
  const { Redis: RedisClass, Cluster: ClusterClass } = await import('ioredis');
  let client: RedisClient;
  if (target.nodes) {
    const { seeds, node } = clusterNodes(target.nodes);
    client = new ClusterClass(seeds, failFastClusterOptions(commandTimeoutMs, node));
  } else {
    client = new RedisClass(target.url!, failFastRedisOptions(commandTimeoutMs));
  }
  watchRedis(client);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2_000);
    timer.unref();
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return { client, owned: true };
}

const watched = new WeakSet<object>();

/**
 * Listens to a client's connection events once (however many stores share it): an `error` without a
 * listener would crash the process, and an outage is logged once — by error code, never with the URL,
 * which may hold a password — with one line when the connection is back.
 */
export function watchRedis(client: RedisClient): void {
  if (watched.has(client)) return;
  watched.add(client);
  const logger = new Logger('BastionRedisStore');
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.error(`Redis unavailable (${(error as { code?: string }).code ?? error.name}); store calls fail until it returns`);
  });
  client.on('ready', () => {
    if (down) logger.log('Redis connection restored');
    down = false;
  });
}

export function isCluster(client: RedisClient): client is Cluster {
  return (client as { isCluster?: boolean }).isCluster === true;
}

/** Closes a client Bastion opened (QUIT, or a hard disconnect when the server does not answer). */
export async function closeRedis(client: RedisClient): Promise<void> {
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
