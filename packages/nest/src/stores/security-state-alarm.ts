import { Logger } from '@nestjs/common';
import type { SecurityEvents } from '../audit/security-events.service.js';
import type { SecurityStateFull, SecurityStateKind } from './security-state.interface.js';

/** Reason of the `alert.raised` event when security state reached its bound. */
export const SECURITY_STATE_FULL_ALERT = 'ALERT_SECURITY_STATE_FULL';

/**
 * Tells the operator that a kind of security state is full: an `alert.raised` event (audit log, webhook,
 * `alerts.onAlert`) and an error log line, at most once per kind per `intervalMs` — a flood of refused
 * writes must not become a flood of alerts. Each refused call still fails on its own.
 */
export function securityStateAlarm(events: SecurityEvents, intervalMs = 60_000): (info: SecurityStateFull) => void {
  const logger = new Logger('BastionSecurityState');
  const last = new Map<SecurityStateKind, number>();
  return (info) => {
    const now = Date.now();
    const previous = last.get(info.kind);
    if (previous !== undefined && now - previous < intervalMs) return;
    last.set(info.kind, now);
    logger.error(`security state "${info.kind}" is full: new entries are refused until old ones expire (bound set by ${info.option})`);
    events.emit({
      type: 'alert.raised',
      outcome: 'info',
      reason: SECURITY_STATE_FULL_ALERT,
      details: { kind: info.kind, limit: info.limit, option: info.option },
    });
  };
}
