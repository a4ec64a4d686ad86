import { randomUUID } from 'node:crypto';
import { HIT_SLIDING, INCREMENT, type LuaScript } from './redis-scripts.js';
import { closeRedis, connectRedis, watchRedis, type RedisClient } from './redis-client.js';
import type { BastionStore } from './store.interface.js';

export { failFastRedisOptions } from './redis-client.js';

export interface RedisStoreOptions {
  /** Prefix of every key. Default `'bastion:'`. */
  keyPrefix?: string;
  /** Cap on hits remembered per sliding-window key. Default 10,000. */
  maxHitsPerKey?: number;
  /** Close the client on {@link RedisStore.close} (true when Bastion created it). Default `false`. */
  ownsClient?: boolean;
}

/**
 * Redis implementation of the counter store port, for many instances; works on one server and on a
 * Redis Cluster alike (every command and Lua script touches one key, so no call spans hash slots).
 * Counters and windows are atomic Lua scripts; `setIfAbsent` is `SET NX PX`. Every method rejects when
 * Redis cannot answer (the port's failure contract): nothing is queued while disconnected, so callers get
 * an error at once and apply their fail mode instead of hanging. Connection errors are logged once per
 * outage (never with the URL, which may hold a password) and the client keeps reconnecting.
 */
export class RedisStore implements BastionStore {
  private readonly prefix: string;
  private readonly maxHitsPerKey: number;
  private readonly ownsClient: boolean;

  constructor(
    readonly client: RedisClient,
    options: RedisStoreOptions = {},
  ) {
    this.prefix = options.keyPrefix ?? 'bastion:';
    this.maxHitsPerKey = options.maxHitsPerKey ?? 10_000;
    this.ownsClient = options.ownsClient ?? false;
    watchRedis(client);
  }

  private key(key: string): string {
    return this.prefix + key;
  }

  private async run(lua: LuaScript, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await this.client.evalsha(lua.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      return this.client.eval(lua.source, keys.length, ...keys, ...args);
    }
  }

  async increment(key: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    const [count, resetMs] = (await this.run(INCREMENT, [this.key(key)], [Math.ceil(windowMs)])) as [number, number];
    return { count: Number(count), resetMs: Number(resetMs) };
  }

  async hitSliding(key: string, windowMs: number): Promise<number> {
    const now = Date.now();
    const result = await this.run(HIT_SLIDING, [this.key(key)], [now, Math.ceil(windowMs), `${now}:${randomUUID()}`, this.maxHitsPerKey]);
    return Number(result);
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.client.get(this.key(key))) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.client.set(this.key(key), value, 'PX', Math.max(1, Math.ceil(ttlMs)));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.client.set(this.key(key), value, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')) === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.client.del(this.key(key));
  }

  async close(): Promise<void> {
    if (this.ownsClient) await closeRedis(this.client);
  }
}

/**
 * Creates a {@link RedisStore} from a URL, loading the optional `ioredis` peer only now, so apps on the
 * memory store need not install it. Never throws because Redis is down (see `connectRedis`).
 */
export async function createRedisStore(url: string, options: RedisStoreOptions & { commandTimeoutMs?: number } = {}): Promise<RedisStore> {
  const { client } = await connectRedis({ url }, options.commandTimeoutMs);
  return new RedisStore(client, { ...options, ownsClient: true });
}
