import { describe, expect, it } from 'vitest';
import { LruCache } from '../../src/authentication/jwt/token-cache.js';

describe('LruCache (verified tokens)', () => {
  it('returns entries until they expire, then forgets them', () => {
    let now = 1_000;
    const cache = new LruCache<string>(10, () => now);
    cache.set('a', 'A', 2_000);
    expect(cache.get('a')).toBe('A');
    now = 2_000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('never holds more than maxEntries and keeps recently used entries', () => {
    const cache = new LruCache<number>(100, () => 0);
    for (let i = 0; i < 10_000; i++) {
      cache.set(`k${i}`, i, 1);
      if (i % 10 === 0) expect(cache.get('hot')).toBe(i === 0 ? undefined : -1);
      if (i === 0) cache.set('hot', -1, 1);
      expect(cache.size).toBeLessThanOrEqual(100);
    }
    expect(cache.get('hot')).toBe(-1);
    expect(cache.get('k0')).toBeUndefined();
    expect(cache.get('k9999')).toBe(9999);
  });

  it('stores nothing when disabled', () => {
    const cache = new LruCache<number>(0);
    cache.set('a', 1, Number.MAX_SAFE_INTEGER);
    expect(cache.get('a')).toBeUndefined();
  });
});
