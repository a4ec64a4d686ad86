import { describe, expect, it } from 'vitest';
import { DpopNonces } from '../../../src/authentication/dpop/dpop-nonces.js';
import { MemorySecurityStore } from '../../../src/stores/memory-security.store.js';
import type { SecurityStateStore } from '../../../src/stores/security-state.interface.js';

describe('DPoP server nonces (RFC 9449 §9)', () => {
  it('hands out one unpredictable nonce per period, accepts it and the previous one, then refuses it', async () => {
    let now = 1_000_000;
    const nonces = new DpopNonces(new MemorySecurityStore(), 60_000, () => now);
    const first = await nonces.current();
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await nonces.current()).toBe(first);
    expect(await nonces.check(first)).toBe('current');
    expect(await nonces.check('guessed')).toBe('rejected');
    now += 60_000;
    const second = await nonces.current();
    expect(second).not.toBe(first);
    // Still accepted, but stale: the caller hands out the current one with the response (§8.2).
    expect(await nonces.check(first)).toBe('previous');
    expect(await nonces.check(second)).toBe('current');
    now += 60_000;
    expect(await nonces.check(first)).toBe('rejected');
    expect(await nonces.check(second)).toBe('previous');
  });

  it('is the same on every instance that shares the store, whoever asks first', async () => {
    const store = new MemorySecurityStore();
    const now = () => 5_000_000;
    const a = new DpopNonces(store, 60_000, now);
    const b = new DpopNonces(store, 60_000, now);
    const [fromA, fromB] = await Promise.all([a.current(), b.current()]);
    expect(fromA).toBe(fromB);
    expect(await b.check(fromA)).toBe('current');
  });

  it('lives in the security state (never evicted to make room), under the nonce kind', async () => {
    const store = new MemorySecurityStore();
    const kinds: string[] = [];
    const spy: SecurityStateStore = {
      get: (kind, key) => (kinds.push(kind), store.get(kind, key)),
      put: (kind, key, value, ttl) => store.put(kind, key, value, ttl),
      putIfAbsent: (kind, key, value, ttl) => (kinds.push(kind), store.putIfAbsent(kind, key, value, ttl)),
      delete: (kind, key) => store.delete(kind, key),
    };
    await new DpopNonces(spy, 60_000, () => 7_000_000).current();
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds)).toEqual(new Set(['nonce']));
  });

  it('rejects (so the caller fails closed) when the store cannot answer', async () => {
    const down: SecurityStateStore = Object.assign(new MemorySecurityStore(), { get: () => Promise.reject(new Error('down')) });
    const nonces = new DpopNonces(down, 60_000);
    await expect(nonces.check('x')).rejects.toThrow('down');
  });
});
