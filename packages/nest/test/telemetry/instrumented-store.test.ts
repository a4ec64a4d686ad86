import type { Meter } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { MemorySecurityStore } from '../../src/stores/memory-security.store.js';
import { MemoryStore } from '../../src/stores/memory.store.js';
import type { BastionStore } from '../../src/stores/store.interface.js';
import { InstrumentedSecurityStore, InstrumentedStore, storeOrigin, storeTypeOf, uninstrumented } from '../../src/telemetry/instrumented-store.js';
import { SecurityMetrics } from '../../src/telemetry/security-metrics.js';
import { securityStateContract } from '../stores/security-state-contract.js';
import { storeContract } from '../stores/store-contract.js';
import { testTelemetry } from '../support/telemetry.js';

const telemetry = testTelemetry();
const metrics = new SecurityMetrics(telemetry.meterProvider.getMeter('@bastion/nest') as Meter);
afterAll(() => telemetry.shutdown());

describe('InstrumentedStore keeps the store contract', () => {
  storeContract(() => new InstrumentedStore(new MemoryStore(), metrics.storeCalls('counters', 'memory')), { serverClock: false });
});

describe('InstrumentedSecurityStore keeps the security-state contract', () => {
  securityStateContract(() => new InstrumentedSecurityStore(new MemorySecurityStore(), metrics.storeCalls('security', 'memory')), { serverClock: false });
});

describe('InstrumentedStore', () => {
  it('times every operation and passes rejections on unchanged', async () => {
    const failure = Object.assign(new Error('down'), { code: 'ECONNRESET' });
    const failing: BastionStore = {
      increment: () => Promise.reject(failure),
      hitSliding: () => Promise.reject(failure),
      get: () => Promise.reject(failure),
      set: () => Promise.reject(failure),
      setIfAbsent: () => Promise.reject(failure),
      delete: () => Promise.reject(failure),
    };
    const store = new InstrumentedStore(failing, metrics.storeCalls('counters', 'custom'));
    await expect(store.get('k')).rejects.toBe(failure);
    await expect(store.setIfAbsent('k', 'v', 1)).rejects.toBe(failure);
    // A caller reporting its fail mode can tell which store failed.
    expect(storeOrigin(failure)).toEqual({ role: 'counters', type: 'custom' });
    expect(await telemetry.count('bastion.store.duration', { 'bastion.store.type': 'custom', 'bastion.store.operation': 'get', 'error.type': 'ECONNRESET' })).toBe(1);
    expect(await telemetry.count('bastion.store.duration', { 'bastion.store.operation': 'set_if_absent', 'error.type': 'ECONNRESET' })).toBe(1);
    expect(await telemetry.count('bastion.store.duration', { 'bastion.store.type': 'memory', 'bastion.store.operation': 'increment' })).toBeGreaterThan(0);
  });

  it('reports the type of the store it decorates, and hands the store itself back', () => {
    const memory = new MemoryStore();
    const security = new MemorySecurityStore();
    expect(storeTypeOf(new InstrumentedStore(memory, () => undefined))).toBe('memory');
    expect(storeTypeOf(new InstrumentedSecurityStore(security, () => undefined))).toBe('memory');
    expect(uninstrumented(new InstrumentedStore(memory, () => undefined))).toBe(memory);
    expect(uninstrumented(memory)).toBe(memory);
  });

  it('times security-state calls by kind', async () => {
    const store = new InstrumentedSecurityStore(new MemorySecurityStore(), metrics.storeCalls('security', 'memory'));
    const nonces = { 'bastion.store': 'security', 'bastion.store.operation': 'put_if_absent', 'bastion.store.kind': 'nonce' };
    const before = await telemetry.count('bastion.store.duration', nonces);
    await store.putIfAbsent('nonce', 'n1', 'x', 60_000);
    expect(await telemetry.count('bastion.store.duration', nonces)).toBe(before + 1);
  });
});
