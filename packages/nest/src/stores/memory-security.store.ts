import { sha256 } from '../core/sha256.js';
import { ExpiryHeap, type Expiry } from './expiry-heap.js';
import {
  SECURITY_STATE_KINDS,
  SecurityStateFullError,
  type SecurityStateFull,
  type SecurityStateKind,
  type SecurityStateStore,
} from './security-state.interface.js';

/**
 * Default bound per kind, in entries. Sized for one busy instance: 100,000 revocations (a day of logouts
 * at a large site, each kept only until its token expires), 100,000 blocked clients (each needs
 * `bruteForce.maxFailures` failed requests from its own IPv4 address or IPv6 /64), 250,000 replay nonces
 * (≈ 800 signed requests per second over a 5-minute window). About 75 MB of heap when all three are full
 * with typical keys, 120 MB with the longest keys kept verbatim (`bench/security-state.results.md`).
 */
export const DEFAULT_SECURITY_LIMITS: Readonly<Record<SecurityStateKind, number>> = { revocation: 100_000, block: 100_000, nonce: 250_000 };

/** Keys longer than this are stored as their SHA-256, so one entry's size is bounded whatever the caller passes. */
const MAX_KEY_LENGTH = 128;
/** Values are short (a flag, a time, a level); a longer one is a programming error. */
const MAX_VALUE_LENGTH = 256;

export interface MemorySecurityStoreOptions {
  /** Bound per kind, in entries. Defaults: {@link DEFAULT_SECURITY_LIMITS}. */
  limits?: Partial<Record<SecurityStateKind, number>>;
  /** Called (synchronously) each time a write is refused because its kind is full. */
  onFull?: (info: SecurityStateFull) => void;
}

/** One entry; also its node in the expiry heap (a rewrite makes a new one, leaving this one stale). */
interface Entry extends Expiry {
  value: string;
}

class Partition {
  readonly entries = new Map<string, Entry>();
  readonly expiries = new ExpiryHeap<Entry>();

  constructor(readonly limit: number) {}

  live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.at > now) return entry;
    this.entries.delete(key);
    return undefined;
  }

  /** Drops every expired entry, earliest first. */
  purge(now: number): void {
    for (let top = this.expiries.peek(); top && top.at <= now; top = this.expiries.peek()) {
      this.expiries.pop();
      // Only if the map still holds this very entry: a rewritten or deleted key left a stale node behind.
      if (this.entries.get(top.key) === top) this.entries.delete(top.key);
    }
  }

  write(key: string, value: string, at: number): void {
    const entry: Entry = { at, key, value };
    this.entries.set(key, entry);
    this.expiries.push(entry);
    // Rewrites and deletes leave stale nodes behind; rebuilding when they outnumber the entries keeps the
    // heap within 2× the entries, at O(1) amortised per write.
    if (this.expiries.size > 2 * this.entries.size + 1_024) this.expiries.rebuild(this.entries.values());
  }
}

/**
 * In-memory {@link SecurityStateStore} for one instance: one map per kind, each bounded by its own limit.
 * Nothing is ever evicted: expired entries are dropped (earliest first, through an expiry heap — no timer
 * per key, no scan), and a write that would pass the bound is refused with {@link SecurityStateFullError}
 * (and `onFull` is told). Every operation is O(log n).
 */
export class MemorySecurityStore implements SecurityStateStore {
  private readonly partitions: Record<SecurityStateKind, Partition>;
  private readonly onFull: ((info: SecurityStateFull) => void) | undefined;

  constructor(options: MemorySecurityStoreOptions = {}) {
    const limit = (kind: SecurityStateKind) => Math.max(1, Math.floor(options.limits?.[kind] ?? DEFAULT_SECURITY_LIMITS[kind]));
    this.partitions = { revocation: new Partition(limit('revocation')), block: new Partition(limit('block')), nonce: new Partition(limit('nonce')) };
    this.onFull = options.onFull;
  }

  /** Live entries of `kind` (expired ones not yet dropped included); never above its limit. */
  size(kind: SecurityStateKind): number {
    return this.partitions[kind].entries.size;
  }

  /** The bound of `kind`, in entries. */
  limit(kind: SecurityStateKind): number {
    return this.partitions[kind].limit;
  }

  async get(kind: SecurityStateKind, key: string): Promise<string | undefined> {
    return this.read(kind, key);
  }

  getNow(kind: SecurityStateKind, key: string): string | undefined {
    return this.read(kind, key);
  }

  async put(kind: SecurityStateKind, key: string, value: string, ttlMs: number): Promise<void> {
    this.store(kind, storedKey(key), value, ttlMs, false);
  }

  async putIfAbsent(kind: SecurityStateKind, key: string, value: string, ttlMs: number): Promise<boolean> {
    return this.store(kind, storedKey(key), value, ttlMs, true);
  }

  async delete(kind: SecurityStateKind, key: string): Promise<void> {
    // The heap node stays behind as a stale node; purge() skips it.
    this.partitions[kind].entries.delete(storedKey(key));
  }

  /** Drops every entry of every kind. */
  clear(): void {
    for (const kind of SECURITY_STATE_KINDS) {
      this.partitions[kind].entries.clear();
      this.partitions[kind].expiries.rebuild([]);
    }
  }

  private read(kind: SecurityStateKind, key: string): string | undefined {
    return this.partitions[kind].live(storedKey(key), Date.now())?.value;
  }

  private store(kind: SecurityStateKind, key: string, value: string, ttlMs: number, onlyIfAbsent: boolean): boolean {
    if (typeof value !== 'string' || value.length > MAX_VALUE_LENGTH) throw new TypeError(`security state values are strings of at most ${MAX_VALUE_LENGTH} characters`);
    const partition = this.partitions[kind];
    const now = Date.now();
    const existing = partition.live(key, now);
    if (existing && onlyIfAbsent) return false;
    if (!existing) {
      partition.purge(now);
      if (partition.entries.size >= partition.limit) {
        const error = new SecurityStateFullError(kind, partition.limit, `store.maxSecurityEntries.${kind}`);
        this.onFull?.({ kind, limit: partition.limit, option: error.option });
        throw error;
      }
    }
    partition.write(key, value, now + Math.max(1, Math.ceil(ttlMs)));
    return true;
  }
}

function storedKey(key: string): string {
  return key.length <= MAX_KEY_LENGTH ? key : `#${sha256(key)}`;
}
