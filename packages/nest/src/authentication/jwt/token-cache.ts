interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A bounded cache with per-entry expiry, checked on access (no timers), for verified tokens: keyed by a
 * hash of the token, never the token itself. Two generations approximate LRU in O(1): entries are
 * written to the young map; when it is full, the old map is dropped whole and the young one becomes
 * old; a hit in the old map moves the entry back to the young one. (Evicting one key at a time from a
 * single `Map` by reading its first key is O(deleted slots) in V8 and degrades under churn.)
 */
export class LruCache<V> {
  private young = new Map<string, Entry<V>>();
  private old = new Map<string, Entry<V>>();
  private readonly generationSize: number;

  constructor(
    maxEntries: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.generationSize = Math.max(0, Math.floor(maxEntries / 2));
  }

  /** Entries held (at most `maxEntries`, expired ones included until touched or dropped). */
  get size(): number {
    return this.young.size + this.old.size;
  }

  /** `now`: the clock reading to judge expiry by, when the caller has one (ms since epoch). */
  get(key: string, now?: number): V | undefined {
    let entry = this.young.get(key);
    if (!entry) {
      entry = this.old.get(key);
      if (!entry) return undefined;
      this.old.delete(key);
      if (entry.expiresAt > (now ??= this.now())) this.insert(key, entry);
    }
    if (entry.expiresAt <= (now ?? this.now())) {
      this.young.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Stores `value` until `expiresAt` (ms since epoch). */
  set(key: string, value: V, expiresAt: number): void {
    if (this.generationSize === 0) return;
    this.old.delete(key);
    this.insert(key, { value, expiresAt });
  }

  delete(key: string): void {
    this.young.delete(key);
    this.old.delete(key);
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }

  private insert(key: string, entry: Entry<V>): void {
    if (!this.young.has(key) && this.young.size >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, entry);
  }
}
