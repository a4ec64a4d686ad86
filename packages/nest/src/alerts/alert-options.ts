import type { SecurityEvent } from '../audit/security-event.js';
import type { AlertRule } from './alert-rules.js';
import type { WebhookOptions } from './webhook-sender.js';

/**
 * Alerting on suspicious activity. Alerts are `alert.raised` security events: they always reach the
 * audit log, and optionally a signed webhook and your own handler.
 *
 * @example
 * ```ts
 * BastionModule.forRoot({
 *   jwt: {…},
 *   alerts: { webhook: { url: 'https://hooks.example.com/bastion', secret: process.env.BASTION_WEBHOOK_SECRET! },
 *             onAlert: (alert) => pager.notify(alert.reason) },
 * });
 * ```
 */
export interface AlertOptions {
  /** Run the detectors. Default `true`. */
  enabled?: boolean;
  /** Detector rules; replaces the defaults (`DEFAULT_ALERT_RULES`) when set. */
  rules?: AlertRule[];
  /** After an alert, the same rule and value stay quiet this long, in seconds. Default 300. */
  cooldown?: number;
  /** Signed webhook delivery. */
  webhook?: WebhookOptions;
  /** Your handler; called with the (redacted) alert event, never awaited by the request path. */
  onAlert?: (alert: SecurityEvent) => void | Promise<void>;
}
