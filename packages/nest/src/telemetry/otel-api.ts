import type { Meter, MeterProvider, Tracer, TracerProvider } from '@opentelemetry/api';
import type { MeterProviderLike, TracerProviderLike } from './telemetry-options.js';

/** What Bastion uses of `@opentelemetry/api`, loaded only when the app has it (it is an optional peer). */
export type OtelApi = typeof import('@opentelemetry/api');

/** Instrumentation scope of everything Bastion records. */
export const SCOPE = '@bastion/nest';

/** Loads `@opentelemetry/api`, or resolves `undefined` when the app does not have it. */
export async function loadOtelApi(): Promise<OtelApi | undefined> {
  try {
    return await import('@opentelemetry/api');
  } catch {
    return undefined;
  }
}

/**
 * The meter to record with: the given provider's, else the global one's — or `undefined` when there is
 * none (the global provider is the API's no-op until the app registers an SDK), so that nothing is
 * recorded and nothing is set up.
 */
export function meterOf(api: OtelApi, provider: MeterProviderLike | undefined): Meter | undefined {
  const meter = (provider ?? api.metrics.getMeterProvider()).getMeter(SCOPE) as Meter;
  return meter === api.createNoopMeter() ? undefined : meter;
}

/** The tracer to record with, or `undefined` when the app has no tracer provider (see {@link meterOf}). */
export function tracerOf(api: OtelApi, provider: TracerProviderLike | undefined): Tracer | undefined {
  let resolved = (provider ?? api.trace.getTracerProvider()) as TracerProvider;
  if (resolved instanceof api.ProxyTracerProvider) {
    const delegate = resolved.getDelegate();
    // A proxy with no delegate answers with the API's no-op provider: the one a fresh proxy answers with.
    if (delegate === new api.ProxyTracerProvider().getDelegate()) return undefined;
    resolved = delegate;
  }
  return resolved.getTracer(SCOPE) as Tracer;
}

export type { Meter, MeterProvider, Tracer, TracerProvider };
