import type { BastionStore } from '../../stores/store.interface.js';

/**
 * Remembers `key` for `ttlMs` unless it is already remembered: `true` the first time, `false` for a
 * repeat (a replay). Rejects when the store cannot answer; callers fail closed. The one place replay
 * state is written, so it can move to a store that never evicts it early.
 */
export function rememberOnce(store: BastionStore, key: string, ttlMs: number): Promise<boolean> {
  return store.setIfAbsent(key, '1', Math.max(1, Math.ceil(ttlMs)));
}
