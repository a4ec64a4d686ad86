/**
 * The counter store port: state shared between instances that may be lost under pressure without
 * harm beyond resetting a limit — throttle counters, failure windows, claimed-identity counters, alert
 * windows and cooldowns. Implementations: bounded in-memory (default; evicts the least recently used
 * keys) and Redis. Security state (revocations, blocks, replay nonces) never goes here: it has its own
 * port, `SecurityStateStore`, which never evicts. Values are strings; TTLs and windows are
 * milliseconds.
 *
 * **Failure contract.** Every method rejects (throws) when the backing service cannot answer — it never
 * guesses a value. Callers decide: throttling applies its configured fail mode (`throttle.failMode`).
 * A `get` that resolves `undefined` always means "absent", never "unknown".
 */
export interface BastionStore {
  /** Adds one hit to the fixed window `key`; returns the count including this hit and ms until reset. Atomic. */
  increment(key: string, windowMs: number): Promise<{ count: number; resetMs: number }>;
  /**
   * Records one hit in the sliding window `key`; returns the number of hits within the last `windowMs`
   * (including this one). Atomic. Implementations may cap the hits kept per key (the count saturates there).
   */
  hitSliding(key: string, windowMs: number): Promise<number>;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Sets `key` only if absent (atomic); `true` when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Releases connections the store owns (called on application shutdown). Optional. */
  close?(): Promise<void>;
}

/** Injection token for the configured counter store ({@link BastionStore}). */
export const BASTION_STORE = Symbol('BASTION_STORE');
