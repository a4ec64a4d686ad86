import { describe, expect, it } from 'vitest';
import { DpopNonces } from '../../../src/authentication/dpop/dpop-nonces.js';
import { MemoryStore } from '../../../src/stores/memory.store.js';
import type { BastionStore } from '../../../src/stores/store.interface.js';

describe('DPoP server nonces (RFC 9449 §9)', () => {
  it('hands out one unpredictable nonce per period, accepts it and the previous one, then refuses it', async () => {
    let now = 1_000_000;
    const nonces = new DpopNonces(new MemoryStore(), 60_000, () => now);
    const first = await nonces.current();
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await nonces.current()).toBe(first);
    expect(await nonces.accepts(first)).toBe(true);
    expect(await nonces.accepts('guessed')).toBe(false);
    now += 60_000;
    const second = await nonces.current();
    expect(second).not.toBe(first);
    expect(await nonces.accepts(first)).toBe(true);
    now += 60_000;
    expect(await nonces.accepts(first)).toBe(false);
    expect(await nonces.accepts(second)).toBe(true);
  });

  it('is the same on every instance that shares the store, whoever asks first', async () => {
    const store = new MemoryStore();
    const now = () => 5_000_000;
    const a = new DpopNonces(store, 60_000, now);
    const b = new DpopNonces(store, 60_000, now);
    const [fromA, fromB] = await Promise.all([a.current(), b.current()]);
    expect(fromA).toBe(fromB);
    expect(await b.accepts(fromA)).toBe(true);
  });

  it('rejects (so the caller fails closed) when the store cannot answer', async () => {
    const down: BastionStore = Object.assign(new MemoryStore(), { get: () => Promise.reject(new Error('down')) });
    const nonces = new DpopNonces(down, 60_000);
    await expect(nonces.accepts('x')).rejects.toThrow('down');
  });
});
