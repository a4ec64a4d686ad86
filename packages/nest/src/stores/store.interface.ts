/**
 * The store port: state shared between instances (throttle counters, failure windows, replay nonces,
 * revocations). Implementations: bounded in-memory (default) and Redis. Values are strings; TTLs in ms.
 */
export interface BastionStore {
  /** Adds one hit to the fixed window `key`; returns the count including this hit and ms until reset. */
  increment(key: string, windowMs: number): Promise<{ count: number; resetMs: number }>;
  /** Records one hit in the sliding window `key`; returns the number of hits within the last `windowMs`. */
  hitSliding(key: string, windowMs: number): Promise<number>;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Sets `key` only if absent (atomic); `true` when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
}

/** Injection token for the configured {@link BastionStore}. */
export const BASTION_STORE = Symbol('BASTION_STORE');
