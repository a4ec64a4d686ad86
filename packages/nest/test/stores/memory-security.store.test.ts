import { describe, expect, it, vi } from 'vitest';
import { SecurityEvents } from '../../src/audit/security-events.service.js';
import type { SecurityEvent } from '../../src/audit/security-event.js';
import { MemorySecurityStore } from '../../src/stores/memory-security.store.js';
import { SECURITY_STATE_FULL_ALERT, securityStateAlarm } from '../../src/stores/security-state-alarm.js';
import { SecurityStateFullError, rememberOnce, type SecurityStateFull } from '../../src/stores/security-state.interface.js';
import { securityStateContract } from './security-state-contract.js';

describe('MemorySecurityStore contract', () => {
  securityStateContract(() => new MemorySecurityStore(), { serverClock: false });
});

describe('MemorySecurityStore bounds', () => {
  it('refuses a new entry at the bound (error + onFull) and evicts nothing', async () => {
    const full: SecurityStateFull[] = [];
    const store = new MemorySecurityStore({ limits: { block: 100 }, onFull: (info) => full.push(info) });
    for (let i = 0; i < 100; i++) await store.put('block', `c${i}`, String(i), 3_600_000);
    const error = await store.put('block', 'one-more', 'x', 3_600_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecurityStateFullError);
    expect(error).toMatchObject({ code: 'ERR_SECURITY_STATE_FULL', kind: 'block', limit: 100, option: 'store.maxSecurityEntries.block' });
    await expect(store.putIfAbsent('block', 'another', 'x', 1_000)).rejects.toBeInstanceOf(SecurityStateFullError);
    expect(full).toEqual([
      { kind: 'block', limit: 100, option: 'store.maxSecurityEntries.block' },
      { kind: 'block', limit: 100, option: 'store.maxSecurityEntries.block' },
    ]);
    expect(store.size('block')).toBe(100);
    for (let i = 0; i < 100; i++) expect(await store.get('block', `c${i}`)).toBe(String(i));
    expect(await store.get('block', 'one-more')).toBeUndefined();
    // Rewriting an existing entry at the bound is not growth: allowed.
    await store.put('block', 'c7', 'seven', 3_600_000);
    expect(await store.get('block', 'c7')).toBe('seven');
    // putIfAbsent on a present key answers false without touching the bound.
    expect(await store.putIfAbsent('block', 'c8', 'x', 1_000)).toBe(false);
  });

  it('gives each kind its own bound: a full kind takes no room from another', async () => {
    const store = new MemorySecurityStore({ limits: { block: 10, revocation: 5, nonce: 5 } });
    for (let i = 0; i < 10; i++) await store.put('block', `ip${i}`, '1', 3_600_000);
    await expect(store.put('block', 'ip10', '1', 3_600_000)).rejects.toBeInstanceOf(SecurityStateFullError);
    for (let i = 0; i < 5; i++) await store.put('revocation', `jti${i}`, '1', 3_600_000);
    for (let i = 0; i < 5; i++) expect(await rememberOnce(store, `n${i}`, 60_000)).toBe(true);
    expect([store.size('block'), store.size('revocation'), store.size('nonce')]).toEqual([10, 5, 5]);
  });

  it('makes room as entries expire (earliest first, without scanning)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
      const store = new MemorySecurityStore({ limits: { nonce: 3 } });
      await store.put('nonce', 'late', '1', 10_000);
      await store.put('nonce', 'early', '1', 1_000);
      await store.put('nonce', 'middle', '1', 5_000);
      await expect(store.put('nonce', 'x', '1', 1_000)).rejects.toBeInstanceOf(SecurityStateFullError);
      vi.setSystemTime(Date.now() + 1_000);
      await store.put('nonce', 'x', '1', 60_000);
      expect(await store.get('nonce', 'late')).toBe('1');
      expect(await store.get('nonce', 'middle')).toBe('1');
      expect(store.size('nonce')).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps its bookkeeping bounded when the same keys are rewritten again and again', async () => {
    const store = new MemorySecurityStore({ limits: { revocation: 10 } });
    for (let i = 0; i < 100_000; i++) await store.put('revocation', `k${i % 10}`, String(i), 3_600_000 + i);
    const heap = (store as unknown as { partitions: { revocation: { expiries: { size: number } } } }).partitions.revocation.expiries;
    expect(store.size('revocation')).toBe(10);
    expect(heap.size).toBeLessThanOrEqual(2 * 10 + 1_024 + 1);
  });

  it('refuses values that are not short strings (a programming error, not a full store)', async () => {
    const store = new MemorySecurityStore();
    await expect(store.put('revocation', 'k', 'x'.repeat(257), 1_000)).rejects.toBeInstanceOf(TypeError);
  });
});

describe('securityStateAlarm', () => {
  it('raises alert.raised ALERT_SECURITY_STATE_FULL once per kind per interval, whatever the flood', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const events = new SecurityEvents(null);
      const seen: SecurityEvent[] = [];
      events.subscribe((e) => void seen.push(e));
      const alarm = securityStateAlarm(events, 60_000);
      const block = { kind: 'block' as const, limit: 10, option: 'store.maxSecurityEntries.block' };
      for (let i = 0; i < 1_000; i++) alarm(block);
      alarm({ kind: 'nonce', limit: 5, option: 'store.maxSecurityEntries.nonce' });
      expect(seen.map((e) => [e.type, e.reason, e.details?.kind])).toEqual([
        ['alert.raised', SECURITY_STATE_FULL_ALERT, 'block'],
        ['alert.raised', SECURITY_STATE_FULL_ALERT, 'nonce'],
      ]);
      expect(seen[0]!.details).toEqual({ kind: 'block', limit: 10, option: 'store.maxSecurityEntries.block' });
      vi.setSystemTime(Date.now() + 60_000);
      alarm(block);
      expect(seen).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
