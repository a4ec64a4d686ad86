import { MemoryStore } from '../stores/memory.store.js';
import { RedisStore } from '../stores/redis.store.js';
import type { BastionStore } from '../stores/store.interface.js';
import { timed } from './timed.js';

/** The kind of store, as metrics name it. */
export type StoreType = 'memory' | 'redis' | 'custom';

/** `bastion.store.type` of a store (of the decorated one, for an {@link InstrumentedStore}). */
export function storeTypeOf(store: BastionStore): StoreType {
  const inner = store instanceof InstrumentedStore ? store.inner : store;
  return inner instanceof MemoryStore ? 'memory' : inner instanceof RedisStore ? 'redis' : 'custom';
}

/** Told after every store call: its operation, duration in seconds and, when it failed, the error. */
export type StoreCallObserver = (operation: string, seconds: number, error: unknown) => void;

/**
 * A decorator of the store port that times every call for metrics and changes nothing else: same
 * results, same rejections. Only installed while metrics are recorded.
 */
export class InstrumentedStore implements BastionStore {
  constructor(
    /** The decorated store. */
    readonly inner: BastionStore,
    private readonly observe: StoreCallObserver,
  ) {}

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

  private timed<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return timed(call, (seconds, error) => this.observe(operation, seconds, error));
  }
}
