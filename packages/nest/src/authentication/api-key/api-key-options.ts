import type { ApiKeyRecord } from './api-key-record.js';
import type { ApiKeyStore } from './api-key-store.js';

/** A key record given in configuration (dates may be ISO 8601 text). Only its hash, never the key. */
export type ApiKeySeed = Omit<ApiKeyRecord, 'createdAt' | 'expiresAt' | 'revokedAt'> & {
  createdAt?: Date | string;
  expiresAt: Date | string;
  revokedAt?: Date | string;
};

/**
 * Options of the `api-key` credential. Keys are presented as `Authorization: ApiKey <key>` or in the
 * `header`; never in the query string.
 *
 * @example
 * ```ts
 * apiKey: { store: 'redis', header: 'X-Api-Key' }    // with store: { type: 'redis', url: process.env.REDIS_URL }
 * ```
 */
export interface ApiKeyOptions {
  /**
   * Where key records live: `'memory'` (this instance), `'redis'` (the Redis of the `store` option, shared by
   * every instance), or your own {@link ApiKeyStore} (a database). Default `'memory'`.
   */
  store?: 'memory' | 'redis' | ApiKeyStore;
  /** Header that may carry the key besides `Authorization: ApiKey`. Default `'X-Api-Key'`. */
  header?: string;
  /** Records to load into the memory store at boot (e.g. from `bastion keys api-key`). Memory store only. */
  keys?: ApiKeySeed[];
  /** Lifetime of keys issued without `expiresIn`/`expiresAt`, in seconds. Default 7,776,000 (90 days). */
  defaultLifetime?: number;
  /** Longest lifetime `ApiKeys.issue()` accepts, in seconds. Default 31,536,000 (365 days). */
  maxLifetime?: number;
}
