import { Injectable, Logger } from '@nestjs/common';
import type { SecurityEvent } from './security-event.js';

export type SecurityEventListener = (event: SecurityEvent) => void;

/**
 * The one bus every security event goes through. Emitting never throws and never waits: a failing
 * or slow sink must not change the outcome or latency of a request.
 */
@Injectable()
export class SecurityEvents {
  private readonly logger = new Logger('BastionSecurity');
  private readonly listeners = new Set<SecurityEventListener>();

  /** Subscribes a sink; returns the unsubscribe function. */
  subscribe(listener: SecurityEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: Omit<SecurityEvent, 'time'> & { time?: string }): void {
    const full: SecurityEvent = { ...event, time: event.time ?? new Date().toISOString() };
    if (this.listeners.size === 0) {
      this.logger.log(JSON.stringify(full));
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(full);
      } catch (error) {
        this.logger.error(`security event sink failed: ${(error as Error)?.name ?? 'error'}`);
      }
    }
  }
}
