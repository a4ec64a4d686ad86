import type { BastionStore } from './store.interface.js';

interface Entry {
  value: string;
  expiresAt: number;
  /** Sliding-window hit times, oldest first; only for `hitSliding` keys. */
  hits?: number[];
}

export interface MemoryStoreOptions {
  /** Hard cap on keys; the least recently used key is evicted beyond it. Default 100,000. */
  maxKeys?: number;
}

/**
 * Bounded in-memory store for one instance. No timer per key: expiry is checked on access, and a Map's
 * insertion order gives least-recently-used eviction (entries are re-inserted when touched).
 */
export class MemoryStore implements BastionStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxKeys: number;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxKeys = options.maxKeys ?? 100_000;
  }

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

  private put(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxKeys) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  async increment(key: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    const now = Date.now();
    const entry = this.live(key, now);
    if (!entry) {
      this.put(key, { value: '1', expiresAt: now + windowMs });
      return { count: 1, resetMs: windowMs };
    }
    const count = Number(entry.value) + 1;
    entry.value = String(count);
    return { count, resetMs: entry.expiresAt - now };
  }

  async hitSliding(key: string, windowMs: number): Promise<number> {
    const now = Date.now();
    const entry = this.live(key, now) ?? { value: '', expiresAt: 0, hits: [] };
    const hits = (entry.hits ?? []).filter((t) => t > now - windowMs);
    hits.push(now);
    this.put(key, { value: '', expiresAt: now + windowMs, hits });
    return hits.length;
  }

  async get(key: string): Promise<string | undefined> {
    return this.live(key, Date.now())?.value;
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
    this.entries.delete(key);
  }
}
