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

  it('holds the cap under a flood while keys in use survive, without timers', async () => {
    const store = new MemoryStore({ maxKeys: 1_000 });
    await store.set('session', 'v', 3_600_000);
    for (let i = 0; i < 100_000; i++) {
      await store.increment(`flood${i}`, 60_000);
      if (i % 100 === 0) expect(await store.get('session')).toBe('v');
    }
    expect(store.size).toBeLessThanOrEqual(1_000);
  });

  it('drops an expired key on access', async () => {
    const store = new MemoryStore();
    const realNow = Date.now;
    let now = 1_000_000;
    Date.now = () => now;
    try {
      await store.set('old', 'v', 100);
      now += 1_000;
      expect(await store.get('old')).toBeUndefined();
      expect(store.size).toBe(0);
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
