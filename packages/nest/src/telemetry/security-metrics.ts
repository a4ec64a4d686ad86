import type { Counter, Histogram, Meter, Observable } from '@opentelemetry/api';
import type { SecurityEvent } from '../audit/security-event.js';
import type { VerificationObserver } from '../authentication/jwt/verification-observer.js';
import type { FetchStatus } from '../oauth-client/fetch-history.js';
import { ERROR_TYPE, errorType, reasonAttribute } from './attributes.js';
import { countsOf } from './event-metrics.js';
import type { StoreCallObserver, StoreRole, StoreType } from './instrumented-store.js';
import { BASTION_METRICS, LATENCY_BUCKETS, type BastionMetric, type MetricDefinition } from './metric-definitions.js';

/** The part of Bastion that called the store, as `bastion.store.errors` names it. */
export type StoreConsumer = 'throttle' | 'block' | 'revocation' | 'brute_force' | 'alerts';

/** What was done about a failed store call: let the request through, refuse it, or drop background work. */
export type FailMode = 'open' | 'closed' | 'skip';

/** What the observable gauges read, at collection time only. */
export interface GaugeSources {
  /** Remote documents per issuer (JWKS, discovery), each listed once. */
  issuerDocuments(): Iterable<{ issuer: string; document: 'jwks' | 'discovery'; status: FetchStatus }>;
  /** Entries of each verified-token cache. */
  tokenCaches(): Iterable<{ credential: 'jwt' | 'introspection'; size: number }>;
  /** Entries held by the stores that can tell without a round trip (memory), with their bound when they have one. */
  storeSizes(): Iterable<{ role: StoreRole; type: StoreType; kind?: string; size: number; capacity?: number }>;
  /** Clock, ms. */
  now(): number;
}

type Instrumentable = { [K in BastionMetric]: (typeof BASTION_METRICS)[K]['kind'] extends 'counter' ? K : never }[BastionMetric];

function options(definition: MetricDefinition) {
  return { description: definition.description, unit: definition.unit, advice: definition.kind === 'histogram' ? { explicitBucketBoundaries: [...LATENCY_BUCKETS] } : undefined };
}

/**
 * Bastion's instruments, created from {@link BASTION_METRICS}, and the ways they are fed: security events
 * (one subscriber of the bus), verifier and store observers, fail-mode reports and collection-time gauges.
 * Framework-free; only exists while the app records metrics.
 */
export class SecurityMetrics {
  private readonly counters = {} as Record<Instrumentable, Counter>;
  private readonly verificationDuration: Histogram;
  private readonly storeDuration: Histogram;

  constructor(private readonly meter: Meter) {
    for (const [key, definition] of Object.entries(BASTION_METRICS) as [BastionMetric, MetricDefinition][]) {
      if (definition.kind === 'counter') this.counters[key as Instrumentable] = meter.createCounter(definition.name, options(definition));
    }
    this.verificationDuration = meter.createHistogram(BASTION_METRICS.verificationDuration.name, options(BASTION_METRICS.verificationDuration));
    this.storeDuration = meter.createHistogram(BASTION_METRICS.storeDuration.name, options(BASTION_METRICS.storeDuration));
  }

  /** Counts one security event (see `countsOf` for what each type increments). */
  event(event: SecurityEvent): void {
    for (const count of countsOf(event)) this.counters[count.metric as Instrumentable].add(1, count.attributes);
  }

  /** The observer of a verifier: `bastion.verification.duration`. */
  verification(credential: 'jwt' | 'introspection'): VerificationObserver {
    return (seconds, path, error) => {
      const attributes: Record<string, string> = { 'bastion.credential.type': credential, 'bastion.token.cache': path.cache, 'bastion.verification.result': error === undefined ? 'success' : 'failure' };
      if (error !== undefined) attributes['bastion.reason'] = reasonAttribute((error as { reason?: string } | null)?.reason);
      this.verificationDuration.record(seconds, attributes);
    };
  }

  /** The observer of a store decorator: `bastion.store.duration`. */
  storeCalls(role: StoreRole, type: StoreType): StoreCallObserver {
    return (operation, seconds, error, kind) => {
      const attributes: Record<string, string> = { 'bastion.store': role, 'bastion.store.type': type, 'bastion.store.operation': operation };
      if (kind !== undefined) attributes['bastion.store.kind'] = kind;
      if (error !== undefined) attributes[ERROR_TYPE] = errorType(error);
      this.storeDuration.record(seconds, attributes);
    };
  }

  /** A store call that failed, with what its caller did about it: `bastion.store.errors`. */
  storeFailure(store: { role: StoreRole; type: StoreType }, consumer: StoreConsumer, failMode: FailMode, error: unknown): void {
    this.counters.storeErrors.add(1, { 'bastion.store': store.role, 'bastion.store.type': store.type, 'bastion.store.consumer': consumer, 'bastion.fail_mode': failMode, [ERROR_TYPE]: errorType(error) });
  }

  /** One revocation look-up: `bastion.revocation.checks`. */
  revocationCheck(result: 'not_revoked' | 'revoked' | 'error'): void {
    this.counters.revocationChecks.add(1, { 'bastion.revocation.result': result });
  }

  /** Registers the observable gauges over `sources`; returns the function that unregisters them. */
  observe(sources: GaugeSources): () => void {
    const keySetAge = this.meter.createObservableGauge(BASTION_METRICS.keySetAge.name, options(BASTION_METRICS.keySetAge));
    const fetches = this.meter.createObservableCounter(BASTION_METRICS.issuerFetches.name, options(BASTION_METRICS.issuerFetches));
    const cachedTokens = this.meter.createObservableGauge(BASTION_METRICS.cachedTokens.name, options(BASTION_METRICS.cachedTokens));
    const storeSize = this.meter.createObservableGauge(BASTION_METRICS.storeSize.name, options(BASTION_METRICS.storeSize));
    const storeCapacity = this.meter.createObservableGauge(BASTION_METRICS.storeCapacity.name, options(BASTION_METRICS.storeCapacity));
    const observables: Observable[] = [keySetAge, fetches, cachedTokens, storeSize, storeCapacity];
    const callback = (result: { observe(observable: Observable, value: number, attributes?: Record<string, string>): void }) => {
      const now = sources.now();
      for (const { issuer, document, status } of sources.issuerDocuments()) {
        const attributes = { 'bastion.issuer': issuer, 'bastion.issuer.document': document };
        result.observe(fetches, status.successes, { ...attributes, 'bastion.fetch.result': 'success' });
        result.observe(fetches, status.failures, { ...attributes, 'bastion.fetch.result': 'failure' });
        if (document === 'jwks' && status.lastSuccess !== undefined) result.observe(keySetAge, Math.max(0, now - status.lastSuccess) / 1000, { 'bastion.issuer': issuer });
      }
      for (const { credential, size } of sources.tokenCaches()) result.observe(cachedTokens, size, { 'bastion.credential.type': credential });
      for (const { role, type, kind, size, capacity } of sources.storeSizes()) {
        const attributes: Record<string, string> = { 'bastion.store': role, 'bastion.store.type': type, ...(kind !== undefined ? { 'bastion.store.kind': kind } : {}) };
        result.observe(storeSize, size, attributes);
        if (capacity !== undefined) result.observe(storeCapacity, capacity, attributes);
      }
    };
    this.meter.addBatchObservableCallback(callback, observables);
    return () => this.meter.removeBatchObservableCallback(callback, observables);
  }
}
