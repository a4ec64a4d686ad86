import type { ApiKeyRecord } from './api-key-record.js';

/**
 * Port: where API key records live (memory, Redis, your database). Every method rejects when the backing
 * service cannot answer; verification then fails closed (401).
 *
 * @example
 * ```ts
 * BastionModule.forRoot({ apiKey: { store: new PostgresApiKeyStore(pool) } });
 * ```
 */
export interface ApiKeyStore {
  /** The record of key id `id`, or `undefined`. */
  find(id: string): Promise<ApiKeyRecord | undefined>;
  /** Inserts a new record (ids are random; an existing id is replaced). */
  save(record: ApiKeyRecord): Promise<void>;
  /** Sets `revokedAt` on the record; `false` when there is no such key. Revoking twice keeps the first time. */
  revoke(id: string, at: Date): Promise<boolean>;
  /** Every unexpired record of `owner` (revoked ones included), for rotation and listings. */
  listByOwner(owner: string): Promise<ApiKeyRecord[]>;
}

/** Injection token of the configured {@link ApiKeyStore} (null when `apiKey` is not configured). */
export const API_KEY_STORE = Symbol('BASTION_API_KEY_STORE');
