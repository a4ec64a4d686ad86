import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Redis, RedisOptions } from 'ioredis';
import { HIT_SLIDING, INCREMENT, type LuaScript } from './redis-scripts.js';
import type { BastionStore } from './store.interface.js';

export interface RedisStoreOptions {
  /** Prefix of every key. Default `'bastion:'`. */
  keyPrefix?: string;
  /** Cap on hits remembered per sliding-window key. Default 10,000. */
  maxHitsPerKey?: number;
  /** Close the client on {@link RedisStore.close} (true when Bastion created it). Default `false`. */
  ownsClient?: boolean;
}

/**
 * Redis implementation of the store port, for many instances. Counters and windows are atomic Lua
 * scripts; `setIfAbsent` is `SET NX PX`. Every method rejects when Redis cannot answer (the port's
 * failure contract): nothing is queued while disconnected, so callers get an error at once and apply
 * their fail mode instead of hanging. Connection errors are logged once per outage (never with the URL,
 * which may hold a password) and the client keeps reconnecting in the background.
 */
export class RedisStore implements BastionStore {
  private readonly logger = new Logger('BastionRedisStore');
  private readonly prefix: string;
  private readonly maxHitsPerKey: number;
  private readonly ownsClient: boolean;
  private down = false;

  constructor(
    readonly client: Redis,
    options: RedisStoreOptions = {},
  ) {
    this.prefix = options.keyPrefix ?? 'bastion:';
    this.maxHitsPerKey = options.maxHitsPerKey ?? 10_000;
    this.ownsClient = options.ownsClient ?? false;
    // An 'error' event without a listener would crash the process: always listen.
    client.on('error', (error: Error) => this.markDown(error));
    client.on('ready', () => {
      if (this.down) this.logger.log('Redis connection restored');
      this.down = false;
    });
  }

  private markDown(error: Error): void {
    if (this.down) return;
    this.down = true;
    this.logger.error(`Redis unavailable (${(error as { code?: string }).code ?? error.name}); store calls fail until it returns`);
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
    if (!this.ownsClient) return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
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
 * Creates a {@link RedisStore} from a URL, loading the optional `ioredis` peer only now, so apps on the
 * memory store need not install it.
 */
export async function createRedisStore(url: string, options: RedisStoreOptions & { commandTimeoutMs?: number } = {}): Promise<RedisStore> {
  const { Redis: RedisClient } = await import('ioredis');
  const client = new RedisClient(url, failFastRedisOptions(options.commandTimeoutMs));
  const store = new RedisStore(client, { ...options, ownsClient: true });
  // Give the first connection a moment so the first requests need not hit the fail mode; never block boot
  // on it, and never throw: a Redis that is down at boot is the same as one that goes down later.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2_000);
    timer.unref();
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return store;
}
