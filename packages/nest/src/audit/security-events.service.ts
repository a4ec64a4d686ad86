import { Inject, Injectable, Optional, type LoggerService } from '@nestjs/common';
import { AUDIT_SINK, type AuditSink } from './audit-sink.js';
import { defaultRedactor } from './redactor.js';
import { bastionLogger } from './redacting-logger.js';
import type { SecurityEvent } from './security-event.js';

/** A subscriber of {@link SecurityEvents}: called synchronously with each event; must not block. */
export type SecurityEventListener = (event: SecurityEvent) => void;

/**
 * The one bus every security event goes through. Each event goes to the audit sink (one line per
 * event), then to every subscriber (alert detector, user code). Emitting never throws and never waits:
 * a failing or slow sink must not change the outcome or latency of a request.
 */
@Injectable()
export class SecurityEvents {
  private readonly logger: LoggerService = bastionLogger('BastionSecurity');
  private readonly listeners = new Set<SecurityEventListener>();

  constructor(@Optional() @Inject(AUDIT_SINK) private readonly sink?: AuditSink | null) {}

  /** Subscribes a sink; returns the unsubscribe function. */
  subscribe(listener: SecurityEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
    for (const listener of this.listeners) this.deliver(() => listener(full), 'security event subscriber');
  }

  private deliver(fn: () => void, what: string): void {
    try {
      fn();
    } catch (error) {
      this.logger.error(`${what} failed: ${(error as Error)?.name ?? 'error'}`);
    }
  }
}
