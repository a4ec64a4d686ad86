import { closeRedis, watchRedis, type RedisClient } from './redis-client.js';
import { SecurityStateFullError, type SecurityStateFull, type SecurityStateKind, type SecurityStateStore } from './security-state.interface.js';

export interface RedisSecurityStoreOptions {
  /** Prefix of every key (followed by `sec:<kind>:`). Default `'bastion:'`. */
  keyPrefix?: string;
  /** The option that names this Redis (`'store'` or `'store.security'`), for errors and alerts. Default `'store'`. */
  option?: string;
  /** Called each time Redis refuses a write for lack of memory. */
  onFull?: (info: SecurityStateFull) => void;
  /** Close the client on {@link RedisSecurityStore.close} (true when Bastion created it). Default `false`. */
  ownsClient?: boolean;
}

/**
 * Redis implementation of the {@link SecurityStateStore}: `SET … PX` (every key carries its TTL, and
 * nothing else of Bastion's deletes it), `SET … NX PX` for "remember once". One key per command, so it
 * works unchanged on a Redis Cluster. Keeping entries until they expire is Redis's part: its
 * `maxmemory-policy` must be `noeviction` (checked at boot, see `checkEvictionPolicy`); then a full
 * Redis refuses writes with an `OOM` error, which becomes {@link SecurityStateFullError} (and `onFull`).
 */
export class RedisSecurityStore implements SecurityStateStore {
  private readonly prefix: string;
  private readonly option: string;
  private readonly onFull: ((info: SecurityStateFull) => void) | undefined;
  private readonly ownsClient: boolean;

  constructor(
    readonly client: RedisClient,
    options: RedisSecurityStoreOptions = {},
  ) {
    this.prefix = `${options.keyPrefix ?? 'bastion:'}sec:`;
    this.option = `the maxmemory of the Redis in "${options.option ?? 'store'}"`;
    this.onFull = options.onFull;
    this.ownsClient = options.ownsClient ?? false;
    watchRedis(client);
  }

  private key(kind: SecurityStateKind, key: string): string {
    return `${this.prefix}${kind}:${key}`;
  }

  async get(kind: SecurityStateKind, key: string): Promise<string | undefined> {
    return (await this.client.get(this.key(kind, key))) ?? undefined;
  }

  async put(kind: SecurityStateKind, key: string, value: string, ttlMs: number): Promise<void> {
    await this.write(kind, () => this.client.set(this.key(kind, key), value, 'PX', ttl(ttlMs)));
  }

  async putIfAbsent(kind: SecurityStateKind, key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.write(kind, () => this.client.set(this.key(kind, key), value, 'PX', ttl(ttlMs), 'NX'))) === 'OK';
  }

  async delete(kind: SecurityStateKind, key: string): Promise<void> {
    await this.client.del(this.key(kind, key));
  }

  async close(): Promise<void> {
    if (this.ownsClient) await closeRedis(this.client);
  }

  private async write<T>(kind: SecurityStateKind, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      // Redis at maxmemory with `noeviction` refuses writes: "OOM command not allowed when used memory > 'maxmemory'".
      if (!String((error as Error)?.message).startsWith('OOM')) throw error;
      this.onFull?.({ kind, limit: undefined, option: this.option });
      throw new SecurityStateFullError(kind, undefined, this.option, { cause: error });
    }
  }
}

function ttl(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}
