import type { RedisClient, RedisNode } from './redis-client.js';
import type { EvictionCheck } from './redis-eviction-check.js';
import type { SecurityStateKind, SecurityStateStore } from './security-state.interface.js';
import type { BastionStore } from './store.interface.js';

/** Where one Redis is: exactly one of `url`, `nodes` (Redis Cluster) or `client`. */
export interface RedisConnectionOptions {
  /** `redis://` / `rediss://` URL of one server. */
  url?: string;
  /**
   * Redis Cluster seed nodes (`'redis://[user:password@]host:port'` or `{ host, port }`); the client
   * discovers the rest and follows failovers.
   */
  nodes?: RedisNode[];
  /** An existing `ioredis` `Redis` or `Cluster` client; Bastion neither configures nor closes it. */
  client?: RedisClient;
}

/**
 * Where Bastion keeps shared state (`store` in {@link BastionOptions}). Two kinds, never mixed:
 * counters (throttle counters, failure windows, alert windows; may be evicted under pressure) and
 * security state (revocations, blocks, replay nonces; kept until they expire, bounded, never evicted).
 * Use Redis as soon as more than one instance serves the API, or limits, blocks and revocations are
 * per instance.
 *
 * @example
 * ```ts
 * BastionModule.forRoot({ store: { type: 'redis', url: process.env.REDIS_URL, keyPrefix: 'orders:' } });
 * BastionModule.forRoot({ store: { type: 'redis', nodes: ['redis://10.0.0.5:6379', 'redis://10.0.0.6:6379'] } });
 * ```
 */
export type StoreOptions =
  | {
      type: 'memory';
      /** Hard cap on counter keys; least recently used counters are evicted beyond it. Default 100,000. */
      maxKeys?: number;
      /**
       * Bound on security-state entries per kind; a write beyond it is refused (never evicts) and raises
       * `alert.raised` (`ALERT_SECURITY_STATE_FULL`). Defaults: revocation 100,000, block 100,000,
       * nonce 250,000 (≈ 75 MB of heap when all are full, see `bench/security-state.results.md`).
       */
      maxSecurityEntries?: Partial<Record<SecurityStateKind, number>>;
    }
  | ({
      type: 'redis';
      /** Prefix of every key. Default `'bastion:'`. */
      keyPrefix?: string;
      /** A command that takes longer fails (and the caller's fail mode applies), ms. Default 1,000. */
      commandTimeoutMs?: number;
      /**
       * A separate Redis for security state (revocations, blocks, replay nonces), e.g. when the main
       * one must evict under memory pressure. Default: the main one.
       */
      security?: RedisConnectionOptions;
      /**
       * At boot, Bastion reads `maxmemory-policy` on every server holding security state; anything but
       * `noeviction` can evict it. `'refuse'` stops the app (also when the policy cannot be read, e.g.
       * `CONFIG` is disabled), `'warn'` logs an error and goes on, `'off'` skips the check (you have
       * verified the policy yourself). Default `'refuse'`.
       */
      evictionCheck?: EvictionCheck;
    } & RedisConnectionOptions)
  | {
      type: 'custom';
      /** Your own implementation of the counter port. */
      store: BastionStore;
      /** Your own implementation of the security-state port; it must never evict an entry before its TTL. */
      securityStore: SecurityStateStore;
    };
