import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { SecurityStateStore } from '../../src/stores/security-state.interface.js';

/**
 * The behaviour every {@link SecurityStateStore} must have. `serverClock` says whether expiry is kept by
 * the server's own clock (Redis) rather than `Date.now()` (memory, driven with `vi.setSystemTime`).
 */
export function securityStateContract(make: () => SecurityStateStore | Promise<SecurityStateStore>, options: { serverClock: boolean }): void {
  let store: SecurityStateStore;
  let n = 0;
  const key = (name: string) => `${name}:${process.pid}:${++n}:${Math.random().toString(36).slice(2)}`;

  beforeEach(async () => {
    store = await make();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('puts, gets, replaces and deletes values', async () => {
    const k = key('kv');
    expect(await store.get('revocation', k)).toBeUndefined();
    await store.put('revocation', k, 'v1', 60_000);
    expect(await store.get('revocation', k)).toBe('v1');
    await store.put('revocation', k, 'v2', 60_000);
    expect(await store.get('revocation', k)).toBe('v2');
    await store.delete('revocation', k);
    expect(await store.get('revocation', k)).toBeUndefined();
  });

  it('keeps kinds apart: the same key in two kinds is two entries', async () => {
    const k = key('kinds');
    await store.put('block', k, 'b', 60_000);
    expect(await store.get('revocation', k)).toBeUndefined();
    expect(await store.putIfAbsent('nonce', k, 'n', 60_000)).toBe(true);
    expect(await store.get('block', k)).toBe('b');
    await store.delete('nonce', k);
    expect(await store.get('block', k)).toBe('b');
  });

  it('remembers a nonce once, atomically, however many calls race', async () => {
    const k = key('nonce');
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.putIfAbsent('nonce', k, `v${i}`, 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.get('nonce', k)).toBe(`v${results.indexOf(true)}`);
    expect(await store.putIfAbsent('nonce', k, 'again', 60_000)).toBe(false);
  });

  it('accepts long keys and keeps them distinct', async () => {
    const a = `${key('long')}${'a'.repeat(5_000)}`;
    const b = `${a}b`;
    await store.put('revocation', a, 'A', 60_000);
    await store.put('revocation', b, 'B', 60_000);
    expect(await store.get('revocation', a)).toBe('A');
    expect(await store.get('revocation', b)).toBe('B');
  });

  if (!options.serverClock) {
    it('forgets entries when their TTL ends, and only then', async () => {
      const k = key('ttl');
      await store.put('block', k, 'x', 1_000);
      expect(await store.putIfAbsent('nonce', k, 'n', 2_000)).toBe(true);
      vi.setSystemTime(Date.now() + 1_000 - 1);
      expect(await store.get('block', k)).toBe('x');
      vi.setSystemTime(Date.now() + 2);
      expect(await store.get('block', k)).toBeUndefined();
      expect(await store.putIfAbsent('nonce', k, 'n', 2_000)).toBe(false);
      vi.setSystemTime(Date.now() + 1_000);
      expect(await store.putIfAbsent('nonce', k, 'n', 2_000)).toBe(true);
    });
  }
}
