import { MemorySecurityStore } from '../stores/memory-security.store.js';
import { MemoryStore } from '../stores/memory.store.js';
import { RedisSecurityStore } from '../stores/redis-security.store.js';
import { RedisStore } from '../stores/redis.store.js';
import type { SecurityStateKind, SecurityStateStore } from '../stores/security-state.interface.js';
import type { BastionStore } from '../stores/store.interface.js';
import { timed } from './timed.js';

/** The kind of store backend, as metrics name it. */
export type StoreType = 'memory' | 'redis' | 'custom';

/** Which of Bastion's two stores: counters (evictable) or security state (never evicted before expiry). */
export type StoreRole = 'counters' | 'security';

/** Told after every store call: its operation, duration in seconds, the error when it failed, and the kind of security state. */
export type StoreCallObserver = (operation: string, seconds: number, error: unknown, kind?: SecurityStateKind) => void;

// Which store a failure came from, so a caller's fail-mode report can name it (errors are objects it
// passes on unchanged; a weak map holds nothing alive).
const ORIGIN = new WeakMap<object, { role: StoreRole; type: StoreType }>();

/** The store a rejection came out of, when it came through an instrumented store. */
export function storeOrigin(error: unknown): { role: StoreRole; type: StoreType } | undefined {
  return typeof error === 'object' && error !== null ? ORIGIN.get(error) : undefined;
}

/** The backend of a store (the decorated one's, for an instrumented store). */
export function storeTypeOf(store: BastionStore | SecurityStateStore): StoreType {
  const inner = store instanceof InstrumentedStore || store instanceof InstrumentedSecurityStore ? store.inner : store;
  if (inner instanceof MemoryStore || inner instanceof MemorySecurityStore) return 'memory';
  return inner instanceof RedisStore || inner instanceof RedisSecurityStore ? 'redis' : 'custom';
}

/** The store itself, without its instrumentation (a Redis connection is shared through it). */
export function uninstrumented<S extends BastionStore | SecurityStateStore>(store: S): S {
  return store instanceof InstrumentedStore || store instanceof InstrumentedSecurityStore ? (store.inner as S) : store;
}

function timer(role: StoreRole, type: StoreType, observe: StoreCallObserver) {
  return <T>(operation: string, call: () => Promise<T>, kind?: SecurityStateKind): Promise<T> =>
    timed(call, (seconds, error) => {
      if (typeof error === 'object' && error !== null) ORIGIN.set(error, { role, type });
      observe(operation, seconds, error, kind);
    });
}

/**
 * A decorator of the counter store port that times every call for metrics and changes nothing else:
 * same results, same rejections. Only installed while metrics are recorded.
 */
export class InstrumentedStore implements BastionStore {
  private readonly timed: ReturnType<typeof timer>;

  constructor(
    /** The decorated store. */
    readonly inner: BastionStore,
    observe: StoreCallObserver,
  ) {
    this.timed = timer('counters', storeTypeOf(inner), observe);
  }

  increment(key: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    return this.timed('increment', () => this.inner.increment(key, windowMs));
  }

  hitSliding(key: string, windowMs: number): Promise<number> {
    return this.timed('hit_sliding', () => this.inner.hitSliding(key, windowMs));
  }

  get(key: string): Promise<string | undefined> {
    return this.timed('get', () => this.inner.get(key));
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    return this.timed('set', () => this.inner.set(key, value, ttlMs));
  }

  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return this.timed('set_if_absent', () => this.inner.setIfAbsent(key, value, ttlMs));
  }

  delete(key: string): Promise<void> {
    return this.timed('delete', () => this.inner.delete(key));
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }
}

/** The same decorator for the security-state port (revocations, blocks, replay nonces), by kind. */
export class InstrumentedSecurityStore implements SecurityStateStore {
  private readonly timed: ReturnType<typeof timer>;

  constructor(
    /** The decorated store. */
    readonly inner: SecurityStateStore,
    observe: StoreCallObserver,
  ) {
    this.timed = timer('security', storeTypeOf(inner), observe);
  }

  get(kind: SecurityStateKind, key: string): Promise<string | undefined> {
    return this.timed('get', () => this.inner.get(kind, key), kind);
  }

  put(kind: SecurityStateKind, key: string, value: string, ttlMs: number): Promise<void> {
    return this.timed('put', () => this.inner.put(kind, key, value, ttlMs), kind);
  }

  putIfAbsent(kind: SecurityStateKind, key: string, value: string, ttlMs: number): Promise<boolean> {
    return this.timed('put_if_absent', () => this.inner.putIfAbsent(kind, key, value, ttlMs), kind);
  }

  delete(kind: SecurityStateKind, key: string): Promise<void> {
    return this.timed('delete', () => this.inner.delete(kind, key), kind);
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }
}
