import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { BastionStore } from '../../src/stores/store.interface.js';

/**
 * The behaviour every {@link BastionStore} must have. `serverClock` says whether expiry is kept by the
 * server's own clock (Redis) rather than `Date.now()` (memory, driven with `vi.setSystemTime`).
 */
export function storeContract(make: () => BastionStore | Promise<BastionStore>, options: { serverClock: boolean }): void {
  let store: BastionStore;
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

  it('increments a fixed window and reports the time to reset', async () => {
    const k = key('inc');
    expect(await store.increment(k, 60_000)).toEqual({ count: 1, resetMs: 60_000 });
    const second = await store.increment(k, 60_000);
    expect(second.count).toBe(2);
    expect(second.resetMs).toBeGreaterThan(0);
    expect(second.resetMs).toBeLessThanOrEqual(60_000);
  });

  it('counts concurrent increments exactly', async () => {
    const k = key('race');
    const results = await Promise.all(Array.from({ length: 100 }, () => store.increment(k, 60_000)));
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('counts hits in a sliding window', async () => {
    const k = key('slide');
    expect(await store.hitSliding(k, 10_000)).toBe(1);
    vi.setSystemTime(Date.now() + 4_000);
    expect(await store.hitSliding(k, 10_000)).toBe(2);
    vi.setSystemTime(Date.now() + 7_000);
    // The first hit (11 s ago) has left the window; the second (7 s ago) has not.
    expect(await store.hitSliding(k, 10_000)).toBe(2);
  });

  it('sets, gets and deletes values', async () => {
    const k = key('kv');
    expect(await store.get(k)).toBeUndefined();
    await store.set(k, 'v1', 60_000);
    expect(await store.get(k)).toBe('v1');
    await store.delete(k);
    expect(await store.get(k)).toBeUndefined();
  });

  it('sets only when absent, atomically', async () => {
    const k = key('nx');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent(k, `v${i}`, 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.get(k)).toBe(`v${results.indexOf(true)}`);
  });

  if (!options.serverClock) {
    it('expires values and counters with time', async () => {
      const a = key('ttl');
      const b = key('ttl');
      await store.set(a, 'x', 1_000);
      await store.increment(b, 1_000);
      vi.setSystemTime(Date.now() + 1_001);
      expect(await store.get(a)).toBeUndefined();
      expect(await store.setIfAbsent(a, 'y', 1_000)).toBe(true);
      expect((await store.increment(b, 1_000)).count).toBe(1);
    });
  }
}
