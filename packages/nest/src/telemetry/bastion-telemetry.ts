import { BastionConfigError } from '../options/assert.js';
import type { SecurityStateStore } from '../stores/security-state.interface.js';
import type { BastionStore } from '../stores/store.interface.js';
import { InstrumentedSecurityStore, InstrumentedStore, storeOrigin, storeTypeOf, type StoreRole } from './instrumented-store.js';
import { loadOtelApi, meterOf, tracerOf, type OtelApi } from './otel-api.js';
import { SecurityMetrics, type FailMode, type StoreConsumer } from './security-metrics.js';
import { StepTracer } from './step-tracer.js';
import type { TelemetryOptions } from './telemetry-options.js';

// Which store a consumer reads, for a failure that did not come through an instrumented store.
const CONSUMER_STORE: Record<StoreConsumer, StoreRole> = { throttle: 'counters', brute_force: 'counters', alerts: 'counters', block: 'security', revocation: 'security' };

/**
 * Bastion's OpenTelemetry instrumentation, as far as the app records: {@link BastionTelemetry.metrics}
 * and {@link BastionTelemetry.tracer} are `undefined` when it does not (no SDK, `@opentelemetry/api` not
 * installed, or `enabled: false` in `telemetry`), and every instrumentation point then costs one such check.
 */
export class BastionTelemetry {
  /** The stores as built, before instrumentation (for the size gauges). */
  readonly stores: { counters?: BastionStore; security?: SecurityStateStore } = {};

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

  /** The counter store, decorated to time every call while metrics are recorded; as it is otherwise. */
  instrumentStore(store: BastionStore): BastionStore {
    this.stores.counters = store;
    return this.metrics ? new InstrumentedStore(store, this.metrics.storeCalls('counters', storeTypeOf(store))) : store;
  }

  /** The security-state store, decorated likewise. */
  instrumentSecurityState(store: SecurityStateStore): SecurityStateStore {
    this.stores.security = store;
    return this.metrics ? new InstrumentedSecurityStore(store, this.metrics.storeCalls('security', storeTypeOf(store))) : store;
  }

  /** Reports a failed store call and the fail mode its caller applied (`bastion.store.errors`). */
  storeFailure(consumer: StoreConsumer, failMode: FailMode, error: unknown): void {
    if (!this.metrics) return;
    const role = CONSUMER_STORE[consumer];
    const store = this.stores[role];
    this.metrics.storeFailure(storeOrigin(error) ?? { role, type: store ? storeTypeOf(store) : 'custom' }, consumer, failMode, error);
  }

  /** Reports one revocation look-up (`bastion.revocation.checks`). */
  revocationCheck(result: 'not_revoked' | 'revoked' | 'error'): void {
    this.metrics?.revocationCheck(result);
  }
}
