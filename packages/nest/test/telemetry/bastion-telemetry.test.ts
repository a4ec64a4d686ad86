import { metrics, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { BastionConfigError } from '../../src/options/assert.js';
import { validateOptions } from '../../src/options/validate-options.js';
import { MemoryStore } from '../../src/stores/memory.store.js';
import { BastionTelemetry } from '../../src/telemetry/bastion-telemetry.js';
import { InstrumentedStore } from '../../src/telemetry/instrumented-store.js';
import { testTelemetry } from '../support/telemetry.js';

describe('BastionTelemetry.create', () => {
  afterEach(() => {
    metrics.disable();
    trace.disable();
  });

  it('records nothing and decorates nothing when the app has no SDK', async () => {
    const telemetry = await BastionTelemetry.create();
    expect(telemetry.metrics).toBeUndefined();
    expect(telemetry.tracer).toBeUndefined();
    const store = new MemoryStore();
    expect(telemetry.instrumentStore(store)).toBe(store);
  });

  it('records nothing when @opentelemetry/api is not installed', async () => {
    const telemetry = await BastionTelemetry.create({}, async () => undefined);
    expect([telemetry.metrics, telemetry.tracer]).toEqual([undefined, undefined]);
  });

  it('refuses providers it cannot use without @opentelemetry/api, naming the option', async () => {
    const { meterProvider } = testTelemetry();
    await expect(BastionTelemetry.create({ meterProvider }, async () => undefined)).rejects.toThrow(BastionConfigError);
    await expect(BastionTelemetry.create({ meterProvider }, async () => undefined)).rejects.toThrow('"telemetry.meterProvider"');
  });

  it('uses the global providers the app registered before boot', async () => {
    const sdk = testTelemetry();
    metrics.setGlobalMeterProvider(sdk.meterProvider);
    trace.setGlobalTracerProvider(sdk.tracerProvider);
    const telemetry = await BastionTelemetry.create();
    expect(telemetry.metrics).toBeDefined();
    expect(telemetry.tracer).toBeDefined();
    expect(telemetry.instrumentStore(new MemoryStore())).toBeInstanceOf(InstrumentedStore);
  });

  it('uses the providers given in the options, and none where one is false or telemetry is disabled', async () => {
    const sdk = testTelemetry();
    const both = await BastionTelemetry.create({ meterProvider: sdk.meterProvider, tracerProvider: sdk.tracerProvider });
    expect([both.metrics !== undefined, both.tracer !== undefined]).toEqual([true, true]);
    const tracesOnly = await BastionTelemetry.create({ meterProvider: false, tracerProvider: sdk.tracerProvider });
    expect([tracesOnly.metrics, tracesOnly.tracer !== undefined]).toEqual([undefined, true]);
    const off = await BastionTelemetry.create({ enabled: false, meterProvider: sdk.meterProvider });
    expect([off.metrics, off.tracer]).toEqual([undefined, undefined]);
  });

  it('validates the telemetry option at boot', () => {
    expect(() => validateOptions({ telemetry: { enabled: 'yes' as never } })).toThrow('"telemetry.enabled" must be a boolean');
    expect(() => validateOptions({ telemetry: { meterProvider: {} as never } })).toThrow('"telemetry.meterProvider" must be false or an OpenTelemetry provider');
    expect(() => validateOptions({ telemetry: { tracerProvider: 'global' as never } })).toThrow('"telemetry.tracerProvider"');
    expect(() => validateOptions({ telemetry: [] as never })).toThrow('"telemetry" must be an object');
  });
});
