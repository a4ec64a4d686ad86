import { AUTHENTICATION_FAILURE_EVENTS, type SecurityEvent, type SecurityEventType } from '../audit/security-event.js';

/** What a detector counts by: the client IP, the (claimed or verified) subject, OAuth client, or key id. */
export type AlertDimension = 'ip' | 'subject' | 'client' | 'keyId';

/**
 * One sliding-window detector: more than `threshold` matching events with the same `by` value within
 * `window` seconds raise one `alert.raised` event, then nothing more for that value for `cooldown`.
 */
export interface AlertRule {
  /** Stable name, also the alert's `reason` (e.g. `ALERT_AUTH_FAILURES_PER_IP`). */
  name: string;
  /** Event types counted. */
  on: readonly SecurityEventType[];
  by: AlertDimension;
  /** Alert when the count in the window exceeds this (0: every matching event alerts). */
  threshold: number;
  /** Window length, in seconds. */
  window: number;
  /** Only count events with one of these reasons. */
  reasons?: readonly string[];
  /** Never count events with one of these reasons. */
  exceptReasons?: readonly string[];
}

/**
 * Defaults: more than 10 failed authentications per IP per minute (a missing credential is not a
 * failure: browsers and health checks hit protected routes anonymously), more than 5 signature failures
 * per key per minute, and any replay.
 */
export const DEFAULT_ALERT_RULES: readonly AlertRule[] = [
  { name: 'ALERT_AUTH_FAILURES_PER_IP', on: AUTHENTICATION_FAILURE_EVENTS, by: 'ip', threshold: 10, window: 60, exceptReasons: ['ERR_CREDENTIAL_MISSING', 'ERR_DPOP_NONCE_REQUIRED'] },
  { name: 'ALERT_SIGNATURE_FAILURES_PER_KEY', on: ['signature.invalid'], by: 'keyId', threshold: 5, window: 60 },
  { name: 'ALERT_REPLAY', on: ['signature.replayed'], by: 'ip', threshold: 0, window: 60 },
];

/** The value `event` is counted under for `dimension`, if it has one. */
export function dimensionValue(event: SecurityEvent, dimension: AlertDimension): string | undefined {
  const who = event.principal ?? event.claimed;
  switch (dimension) {
    case 'ip':
      return event.ip;
    case 'subject':
      return who?.subject;
    case 'client':
      return who?.clientId;
    case 'keyId':
      return who?.keyId ?? (typeof event.details?.keyId === 'string' ? event.details.keyId : undefined);
  }
}

/** The window key `event` counts under for `rule`, or `undefined` when the rule does not apply. */
export function ruleKey(rule: AlertRule, event: SecurityEvent): string | undefined {
  if (!rule.on.includes(event.type)) return undefined;
  if (rule.reasons && !(event.reason && rule.reasons.includes(event.reason))) return undefined;
  if (rule.exceptReasons && event.reason && rule.exceptReasons.includes(event.reason)) return undefined;
  const value = dimensionValue(event, rule.by);
  if (value === undefined || value === '') return undefined;
  return `${rule.name}:${rule.by}:${encodeURIComponent(value)}`;
}
