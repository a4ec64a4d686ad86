import { createHash } from 'node:crypto';
import type { BastionStore } from '../../stores/store.interface.js';

/**
 * Remembers `key` for `ttlMs`: `true` the first time, `false` when it is already remembered (a replay).
 * Rejects when the store cannot answer; callers fail closed. Every DPoP replay record goes through here.
 */
export function rememberOnce(store: BastionStore, key: string, ttlMs: number): Promise<boolean> {
  return store.setIfAbsent(key, '1', ttlMs);
}

/**
 * Store key of a proof's `jti`, per proof key: one client cannot spend another's `jti`, and only a hash
 * is kept, whatever the `jti`'s size (RFC 9449 §11.1).
 */
export function proofReplayKey(jkt: string, jti: string): string {
  return `dpop:jti:${createHash('sha256').update(`${jkt}\n${jti}`).digest('base64url')}`;
}
