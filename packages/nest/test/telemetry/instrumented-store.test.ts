import type { Meter } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/stores/memory.store.js';
import type { BastionStore } from '../../src/stores/store.interface.js';
import { InstrumentedStore, storeTypeOf } from '../../src/telemetry/instrumented-store.js';
import { SecurityMetrics } from '../../src/telemetry/security-metrics.js';
import { storeContract } from '../stores/store-contract.js';
import { testTelemetry } from '../support/telemetry.js';

const telemetry = testTelemetry();
const metrics = new SecurityMetrics(telemetry.meterProvider.getMeter('@bastion/nest') as Meter);
afterAll(() => telemetry.shutdown());

describe('InstrumentedStore keeps the store contract', () => {
  storeContract(() => new InstrumentedStore(new MemoryStore(), metrics.storeCalls('memory')), { serverClock: false });
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
    const store = new InstrumentedStore(failing, metrics.storeCalls('custom'));
    await expect(store.get('k')).rejects.toBe(failure);
    await expect(store.setIfAbsent('k', 'v', 1)).rejects.toBe(failure);
    expect(await telemetry.count('bastion.store.duration', { 'bastion.store.type': 'custom', 'bastion.store.operation': 'get', 'error.type': 'ECONNRESET' })).toBe(1);
    expect(await telemetry.count('bastion.store.duration', { 'bastion.store.operation': 'set_if_absent', 'error.type': 'ECONNRESET' })).toBe(1);
    expect(await telemetry.count('bastion.store.duration', { 'bastion.store.type': 'memory', 'bastion.store.operation': 'increment' })).toBeGreaterThan(0);
  });

  it('reports the type of the store it decorates', () => {
    expect(storeTypeOf(new InstrumentedStore(new MemoryStore(), () => undefined))).toBe('memory');
  });
});
