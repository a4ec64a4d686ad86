import type { BastionStore } from './store.interface.js';

interface Entry {
  /** String value (`get`/`set`) or fixed-window counter (`increment`). */
  value: string | number;
  expiresAt: number;
  /** Sliding-window hit times, oldest first; only for `hitSliding` keys. */
  hits?: number[];
}

export interface MemoryStoreOptions {
  /** Hard cap on keys; the least recently used keys are evicted (generationally) beyond it. Default 100,000. */
  maxKeys?: number;
  /** Cap on hits remembered per sliding-window key; the count saturates there. Default 10,000. */
  maxHitsPerKey?: number;
}

/**
 * Bounded in-memory counter store for one instance (security state lives in `MemorySecurityStore`,
 * which never evicts). Memory is bounded by `maxKeys` (hard cap) and
 * `maxHitsPerKey`, whatever the traffic: a flood of distinct trackers evicts the least recently used
 * ones instead of growing the heap. No timer per key: expiry is checked on access.
 *
 * Eviction is generational LRU (two Maps of at most `maxKeys / 2` keys each): a key is written to the
 * young generation; when it fills, the old generation is dropped whole and the young one becomes old; a
 * key read from the old generation moves back to the young one. Every operation is O(1) — unlike LRU
 * by re-insertion into one Map, whose "oldest key" look-up walks over the holes deletions leave.
 *
 * Trade-off: under a flood larger than `maxKeys` the coldest counters are forgotten early, which can
 * reset a throttled tracker; size `maxKeys` above the number of trackers active within one window, or
 * use Redis.
 */
export class MemoryStore implements BastionStore {
  private young = new Map<string, Entry>();
  private old = new Map<string, Entry>();
  private readonly generationSize: number;
  private readonly maxHitsPerKey: number;

  constructor(options: MemoryStoreOptions = {}) {
    this.generationSize = Math.max(1, Math.floor((options.maxKeys ?? 100_000) / 2));
    this.maxHitsPerKey = Math.max(1, Math.floor(options.maxHitsPerKey ?? 10_000));
  }

  /** Number of keys held (expired ones not yet dropped included); never above `maxKeys`. */
  get size(): number {
    return this.young.size + this.old.size;
  }

  private live(key: string, now: number): Entry | undefined {
    let entry = this.young.get(key);
    if (!entry) {
      entry = this.old.get(key);
      if (!entry) return undefined;
      this.old.delete(key);
      if (entry.expiresAt > now) this.put(key, entry);
    }
    if (entry.expiresAt > now) return entry;
    this.young.delete(key);
    return undefined;
  }

  private put(key: string, entry: Entry): void {
    this.old.delete(key);
    const isNew = !this.young.has(key);
    this.young.set(key, entry);
    if (isNew && this.young.size >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
    }
  }

  async increment(key: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    const now = Date.now();
    const entry = this.live(key, now);
    if (!entry || typeof entry.value !== 'number') {
      this.put(key, { value: 1, expiresAt: now + windowMs });
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
    this.put(key, { value: '', expiresAt: now + windowMs, hits });
    return hits.length;
  }

  async get(key: string): Promise<string | undefined> {
    const value = this.live(key, Date.now())?.value;
    return value === undefined ? undefined : String(value);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.put(key, { value, expiresAt: Date.now() + ttlMs });
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    if (this.live(key, now)) return false;
    this.put(key, { value, expiresAt: now + ttlMs });
    return true;
  }

  async delete(key: string): Promise<void> {
    this.young.delete(key);
    this.old.delete(key);
  }

  /** Drops every key. */
  clear(): void {
    this.young.clear();
    this.old.clear();
  }
}
