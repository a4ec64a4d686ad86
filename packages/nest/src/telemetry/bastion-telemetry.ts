import { BastionConfigError } from '../options/assert.js';
import type { BastionStore } from '../stores/store.interface.js';
import { InstrumentedStore, storeTypeOf, type StoreType } from './instrumented-store.js';
import { loadOtelApi, meterOf, tracerOf, type OtelApi } from './otel-api.js';
import { SecurityMetrics, type FailMode, type StoreConsumer } from './security-metrics.js';
import { StepTracer } from './step-tracer.js';
import type { TelemetryOptions } from './telemetry-options.js';

/**
 * Bastion's OpenTelemetry instrumentation, as far as the app records: {@link metrics} and {@link tracer}
 * are `undefined` when it does not (no SDK, `@opentelemetry/api` not installed, or `telemetry.enabled:
 * false`), and every instrumentation point then costs one such check.
 */
export class BastionTelemetry {
  private store: { raw: BastionStore; type: StoreType } | undefined;

  constructor(
    /** Metrics, when recorded. */
    readonly metrics: SecurityMetrics | undefined,
    /** Per-step spans, when traced. */
    readonly tracer: StepTracer | undefined,
  ) {}

  /** Resolves the providers once, at boot. */
  static async create(options: TelemetryOptions = {}, load: () => Promise<OtelApi | undefined> = loadOtelApi): Promise<BastionTelemetry> {
    if (options.enabled === false || (options.meterProvider === false && options.tracerProvider === false)) return new BastionTelemetry(undefined, undefined);
    const api = await load();
    if (!api) {
      const given = options.meterProvider ? 'telemetry.meterProvider' : options.tracerProvider ? 'telemetry.tracerProvider' : undefined;
      // A provider was handed over, so telemetry is expected: say why nothing would be recorded.
      if (given) throw new BastionConfigError(given, 'is set but @opentelemetry/api cannot be loaded; install it next to your OpenTelemetry SDK');
      return new BastionTelemetry(undefined, undefined);
    }
    const meter = options.meterProvider === false ? undefined : meterOf(api, options.meterProvider);
    const tracer = options.tracerProvider === false ? undefined : tracerOf(api, options.tracerProvider);
    return new BastionTelemetry(meter && new SecurityMetrics(meter), tracer && new StepTracer(api, tracer));
  }

  /** The store, decorated to time every call while metrics are recorded; as it is otherwise. */
  instrumentStore(store: BastionStore): BastionStore {
    const type = storeTypeOf(store);
    this.store = { raw: store, type };
    return this.metrics ? new InstrumentedStore(store, this.metrics.storeCalls(type)) : store;
  }

  /** The undecorated store and its type (for the store-size gauge). */
  get rawStore(): { raw: BastionStore; type: StoreType } | undefined {
    return this.store;
  }

  /** Reports a failed store call and the fail mode its caller applied (`bastion.store.errors`). */
  storeFailure(consumer: StoreConsumer, failMode: FailMode, error: unknown): void {
    this.metrics?.storeFailure(this.store?.type ?? 'custom', consumer, failMode, error);
  }

  /** Reports one revocation look-up (`bastion.revocation.checks`). */
  revocationCheck(result: 'not_revoked' | 'revoked' | 'error'): void {
    this.metrics?.revocationCheck(result);
  }
}
