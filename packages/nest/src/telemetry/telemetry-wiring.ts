import { Inject, Injectable, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { SecurityEvents } from '../audit/security-events.service.js';
import { IntrospectionVerifier } from '../authentication/introspection/introspection-verifier.js';
import { JwtVerifier } from '../authentication/jwt/jwt-verifier.js';
import { MemorySecurityStore } from '../stores/memory-security.store.js';
import { MemoryStore } from '../stores/memory.store.js';
import { SECURITY_STATE_KINDS } from '../stores/security-state.interface.js';
import { BastionTelemetry } from './bastion-telemetry.js';
import { issuerDocuments } from './issuer-documents.js';
import type { GaugeSources } from './security-metrics.js';

/**
 * Connects the metrics to what they measure, once at boot and only while metrics are recorded: one
 * subscriber of the security-event bus for every event-based counter, the verifiers' observers, and
 * the collection-time gauges (key-set age and fetches, cached tokens, store size).
 */
@Injectable()
export class TelemetryWiring implements OnModuleInit, OnApplicationShutdown {
  private readonly undo: (() => void)[] = [];

  constructor(
    private readonly telemetry: BastionTelemetry,
    private readonly events: SecurityEvents,
    @Optional() @Inject(JwtVerifier) private readonly jwt: JwtVerifier | null,
    @Optional() @Inject(IntrospectionVerifier) private readonly introspection: IntrospectionVerifier | null,
  ) {}

  onModuleInit(): void {
    const metrics = this.telemetry.metrics;
    if (!metrics) return;
    this.undo.push(this.events.subscribe((event) => metrics.event(event)));
    const { jwt, introspection } = this;
    jwt?.instrument(metrics.verification('jwt'));
    introspection?.instrument(metrics.verification('introspection'));
    this.undo.push(() => jwt?.instrument(undefined), () => introspection?.instrument(undefined));
    const { counters, security } = this.telemetry.stores;
    const sources: GaugeSources = {
      now: () => Date.now(),
      issuerDocuments: () => issuerDocuments(jwt ?? undefined, introspection ?? undefined),
      tokenCaches: () => [...(jwt ? [{ credential: 'jwt' as const, size: jwt.cachedTokens }] : []), ...(introspection ? [{ credential: 'introspection' as const, size: introspection.cachedTokens }] : [])],
      storeSizes: () => [
        ...(counters instanceof MemoryStore ? [{ role: 'counters' as const, type: 'memory' as const, size: counters.size }] : []),
        ...(security instanceof MemorySecurityStore
          ? SECURITY_STATE_KINDS.map((kind) => ({ role: 'security' as const, type: 'memory' as const, kind, size: security.size(kind), capacity: security.limit(kind) }))
          : []),
      ],
    };
    this.undo.push(metrics.observe(sources));
  }

  onApplicationShutdown(): void {
    for (const undo of this.undo.splice(0)) undo();
  }
}
