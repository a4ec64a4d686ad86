import { BastionConfigError, assertOptionalBoolean, isPlainObject } from '../options/assert.js';

/** A meter provider, as `@opentelemetry/sdk-metrics`' `MeterProvider` (typed loosely: the peer is optional). */
export interface MeterProviderLike {
  getMeter(name: string, version?: string, options?: object): unknown;
}

/** A tracer provider, as `@opentelemetry/sdk-trace-base`'s `BasicTracerProvider` (typed loosely: the peer is optional). */
export interface TracerProviderLike {
  getTracer(name: string, version?: string, options?: object): unknown;
}

/**
 * Metrics and traces through OpenTelemetry (`@opentelemetry/api`, an optional peer). Bastion records only
 * when the app has an SDK: the global providers registered before the app boots (the usual
 * `NodeSDK().start()` at the top of `main.ts`), or the providers given here. Without them, nothing is set
 * up and nothing is recorded. See `docs/operations.md`.
 *
 * @example
 * ```ts
 * const meterProvider = new MeterProvider({ readers: [new PrometheusExporter({ preventServerStart: true })] });
 * BastionModule.forRoot({ jwt, telemetry: { meterProvider } });
 * ```
 */
export interface TelemetryOptions {
  /** `false` records nothing, whatever providers the app has. Default `true`. */
  enabled?: boolean;
  /** The meter provider for Bastion's metrics; `false` for none. Default: the global one, read at boot. */
  meterProvider?: MeterProviderLike | false;
  /** The tracer provider for the per-step spans; `false` for none. Default: the global one, read at boot. */
  tracerProvider?: TracerProviderLike | false;
}

function assertProvider(value: unknown, method: string, path: string): void {
  if (value === undefined || value === false) return;
  if (typeof (value as Record<string, unknown> | null)?.[method] !== 'function') throw new BastionConfigError(path, `must be false or an OpenTelemetry provider (with ${method}())`);
}

/** Validates `telemetry` at boot. */
export function validateTelemetryOptions(telemetry: TelemetryOptions | undefined): void {
  if (telemetry === undefined) return;
  if (!isPlainObject(telemetry)) throw new BastionConfigError('telemetry', 'must be an object');
  assertOptionalBoolean(telemetry.enabled, 'telemetry.enabled');
  assertProvider(telemetry.meterProvider, 'getMeter', 'telemetry.meterProvider');
  assertProvider(telemetry.tracerProvider, 'getTracer', 'telemetry.tracerProvider');
}
