import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/stores/memory.store.js';
import { storeContract } from './store-contract.js';

describe('MemoryStore contract', () => {
  storeContract(() => new MemoryStore(), { serverClock: false });
});

describe('MemoryStore bounds', () => {
  it('never holds more than maxKeys, evicting the least recently used', async () => {
    const store = new MemoryStore({ maxKeys: 100 });
    await store.set('keep', 'v', 60_000);
    for (let i = 0; i < 1_000; i++) {
      await store.increment(`t${i}`, 60_000);
      if (i % 10 === 0) await store.get('keep');
      expect(store.size).toBeLessThanOrEqual(100);
    }
    expect(await store.get('keep')).toBe('v');
    expect(await store.get('t0')).toBeUndefined();
    expect(await store.get('t999')).toBe('1');
  });

  it('caps the hits kept per sliding key (the count saturates)', async () => {
    const store = new MemoryStore({ maxHitsPerKey: 5 });
    let count = 0;
    for (let i = 0; i < 50; i++) count = await store.hitSliding('k', 60_000);
    expect(count).toBe(5);
  });

  it('sweeps expired entries on writes, without timers', async () => {
    const store = new MemoryStore();
    const realNow = Date.now;
    let now = 1_000_000;
    Date.now = () => now;
    try {
      for (let i = 0; i < 10; i++) await store.set(`old${i}`, 'v', 100);
      now += 1_000;
      for (let i = 0; i < 10; i++) await store.set(`new${i}`, 'v', 100_000);
      expect(store.size).toBe(10);
    } finally {
      Date.now = realNow;
    }
  });

  it('turns a string key into a fresh counter on increment', async () => {
    const store = new MemoryStore();
    await store.set('k', 'text', 60_000);
    expect((await store.increment('k', 60_000)).count).toBe(1);
  });
});
