import { Inject, Injectable, Optional, type LoggerService } from '@nestjs/common';
import { AUDIT_SINK, type AuditSink } from './audit-sink.js';
import { defaultRedactor } from './redactor.js';
import { bastionLogger } from './redacting-logger.js';
import type { SecurityEvent, SecurityEventType } from './security-event.js';

/** A subscriber of {@link SecurityEvents}: called synchronously with each event; must not block. */
export type SecurityEventListener = (event: SecurityEvent) => void;

/** Options of {@link SecurityEvents.subscribe}. */
export interface SubscribeOptions {
  /** Only events of these types reach the listener. Default: every event. */
  types?: readonly SecurityEventType[];
}

/**
 * The one bus every security event goes through. Each event goes to the audit sink (one line per
 * event), then to every subscriber (alert detector, user code). Emitting never throws and never waits:
 * a failing or slow sink must not change the outcome or latency of a request.
 */
@Injectable()
export class SecurityEvents {
  private readonly logger: LoggerService = bastionLogger('BastionSecurity');
  /** Each listener with the types it takes (`undefined`: all). */
  private readonly listeners = new Map<SecurityEventListener, ReadonlySet<SecurityEventType> | undefined>();

  constructor(@Optional() @Inject(AUDIT_SINK) private readonly sink?: AuditSink | null) {}

  /** Subscribes a listener (to every event, or to `options.types`); returns the unsubscribe function. */
  subscribe(listener: SecurityEventListener, options: SubscribeOptions = {}): () => void {
    this.listeners.set(listener, options.types ? new Set(options.types) : undefined);
    return () => this.listeners.delete(listener);
  }

  /**
   * Whether an event of `type` would reach anyone (the sink or a subscriber). Lets a hot path skip
   * building an event nobody takes — by default, the `authentication.succeeded` of every authenticated
   * request, which the audit sink leaves out unless `audit.successes` is set.
   */
  wants(type: SecurityEventType): boolean {
    // Built without DI (no module): events without a listener are logged.
    if (this.sink === undefined) return true;
    if (this.sink !== null && (this.sink.accepts?.(type) ?? true)) return true;
    for (const types of this.listeners.values()) if (!types || types.has(type)) return true;
    return false;
  }

  /** Publishes one event (the time is filled in when absent). */
  emit(event: Omit<SecurityEvent, 'time'> & { time?: string }): void {
    const full: SecurityEvent = { ...event, time: event.time ?? new Date().toISOString() };
    if (this.sink === undefined) {
      // Built without DI (no module): still leave a redacted trace rather than drop the event.
      if (this.listeners.size === 0) this.logger.log(JSON.stringify(defaultRedactor(full)));
    } else if (this.sink !== null) {
      this.deliver(() => this.sink!.write(full), 'audit sink');
    }
    for (const [listener, types] of this.listeners) if (!types || types.has(full.type)) this.deliver(() => listener(full), 'security event subscriber');
  }

  private deliver(fn: () => void, what: string): void {
    try {
      fn();
    } catch (error) {
      this.logger.error(`${what} failed: ${(error as Error)?.name ?? 'error'}`);
    }
  }
}
