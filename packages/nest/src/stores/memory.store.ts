import type { BastionStore } from './store.interface.js';

interface Entry {
  /** String value (`get`/`set`) or fixed-window counter (`increment`). */
  value: string | number;
  expiresAt: number;
  /** Sliding-window hit times, oldest first; only for `hitSliding` keys. */
  hits?: number[];
}

export interface MemoryStoreOptions {
  /** Hard cap on keys; the least recently used key is evicted beyond it. Default 100,000. */
  maxKeys?: number;
  /** Cap on hits remembered per sliding-window key; the count saturates there. Default 10,000. */
  maxHitsPerKey?: number;
}

/** Expired entries dropped from the least-recently-used end per write: amortised cleanup, no timers. */
const SWEEP_PER_WRITE = 2;

/**
 * Bounded in-memory store for one instance. Memory is bounded by `maxKeys` (hard cap, LRU eviction) and
 * `maxHitsPerKey`, whatever the traffic: a flood of distinct trackers evicts the least recently used
 * ones instead of growing the heap. No timer per key: expiry is checked on access, and each write also
 * drops a few expired entries from the cold end. A Map's insertion order is the LRU order (entries are
 * re-inserted when touched).
 *
 * Trade-off: under a flood larger than `maxKeys` the oldest counters are forgotten early, which can
 * reset a throttled tracker; size `maxKeys` above the number of trackers active within one window, or
 * use Redis.
 */
export class MemoryStore implements BastionStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxKeys: number;
  private readonly maxHitsPerKey: number;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxKeys = Math.max(1, Math.floor(options.maxKeys ?? 100_000));
    this.maxHitsPerKey = Math.max(1, Math.floor(options.maxHitsPerKey ?? 10_000));
  }

  /** Number of keys held (expired ones not yet swept included); never above `maxKeys`. */
  get size(): number {
    return this.entries.size;
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= now) return undefined;
    this.entries.set(key, entry);
    return entry;
  }

  private put(key: string, entry: Entry, now: number): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    let swept = 0;
    for (const [oldKey, old] of this.entries) {
      if (this.entries.size <= this.maxKeys && (swept >= SWEEP_PER_WRITE || old.expiresAt > now)) break;
      if (oldKey === key) break;
      this.entries.delete(oldKey);
      swept++;
    }
  }

  async increment(key: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    const now = Date.now();
    const entry = this.live(key, now);
    if (!entry || typeof entry.value !== 'number') {
      this.put(key, { value: 1, expiresAt: now + windowMs }, now);
      return { count: 1, resetMs: windowMs };
    }
    entry.value += 1;
    return { count: entry.value, resetMs: entry.expiresAt - now };
  }

  async hitSliding(key: string, windowMs: number): Promise<number> {
    const now = Date.now();
    const old = this.live(key, now)?.hits ?? [];
    let first = 0;
    while (first < old.length && old[first]! <= now - windowMs) first++;
    const hits = old.slice(Math.max(first, old.length + 1 - this.maxHitsPerKey));
    hits.push(now);
    this.put(key, { value: '', expiresAt: now + windowMs, hits }, now);
    return hits.length;
  }

  async get(key: string): Promise<string | undefined> {
    const value = this.live(key, Date.now())?.value;
    return value === undefined ? undefined : String(value);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const now = Date.now();
    this.put(key, { value, expiresAt: now + ttlMs }, now);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    if (this.live(key, now)) return false;
    this.put(key, { value, expiresAt: now + ttlMs }, now);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  /** Drops every key. */
  clear(): void {
    this.entries.clear();
  }
}
