import type { Redis } from 'ioredis';
import type { BastionStore } from './store.interface.js';

/**
 * Where Bastion keeps shared state (`store` in {@link BastionOptions}). Use Redis as soon as more than
 * one instance serves the API, or limits and blocks are counted per instance.
 *
 * @example
 * ```ts
 * BastionModule.forRoot({ store: { type: 'redis', url: process.env.REDIS_URL, keyPrefix: 'orders:' } });
 * ```
 */
export type StoreOptions =
  | {
      type: 'memory';
      /** Hard cap on keys; least recently used keys are evicted beyond it. Default 100,000. */
      maxKeys?: number;
    }
  | {
      type: 'redis';
      /** `redis://` / `rediss://` URL. Either this or `client`. */
      url?: string;
      /** An existing `ioredis` client; Bastion neither configures nor closes it. */
      client?: Redis;
      /** Prefix of every key. Default `'bastion:'`. */
      keyPrefix?: string;
      /** A command that takes longer fails (and the caller's fail mode applies), ms. Default 1,000. */
      commandTimeoutMs?: number;
    }
  | {
      type: 'custom';
      /** Your own implementation of the port. */
      store: BastionStore;
    };
