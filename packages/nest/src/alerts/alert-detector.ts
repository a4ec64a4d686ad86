import type { SecurityEvent } from '../audit/security-event.js';
import type { BastionStore } from '../stores/store.interface.js';
import { dimensionValue, ruleKey, type AlertRule } from './alert-rules.js';

const PREFIX = 'alert:';

/** What the detector raises: the `alert.raised` event to publish. */
export type RaisedAlert = Omit<SecurityEvent, 'time'>;

/**
 * Counts events in sliding windows in the shared store (so instances count together) and raises one
 * alert per rule and value per cooldown, using `setIfAbsent` so two instances cannot both raise it.
 * Framework-free; the alerting service feeds it from the event bus.
 */
export class AlertDetector {
  constructor(
    private readonly store: BastionStore,
    private readonly rules: readonly AlertRule[],
    /** Cooldown per rule and value, in seconds. */
    private readonly cooldown: number,
  ) {}

  /** Feeds one event; resolves to the alerts it raises (usually none). Rejects when the store fails. */
  async observe(event: SecurityEvent): Promise<RaisedAlert[]> {
    if (event.type === 'alert.raised') return [];
    const raised: RaisedAlert[] = [];
    for (const rule of this.rules) {
      const key = ruleKey(rule, event);
      if (!key) continue;
      const count = await this.store.hitSliding(`${PREFIX}w:${key}`, rule.window * 1000);
      if (count <= rule.threshold) continue;
      if (!(await this.store.setIfAbsent(`${PREFIX}c:${key}`, '1', this.cooldown * 1000))) continue;
      raised.push({
        type: 'alert.raised',
        outcome: 'info',
        reason: rule.name,
        requestId: event.requestId,
        ip: event.ip,
        principal: event.principal,
        claimed: event.claimed,
        details: {
          rule: rule.name,
          by: rule.by,
          value: dimensionValue(event, rule.by),
          count,
          threshold: rule.threshold,
          windowSeconds: rule.window,
          cooldownSeconds: this.cooldown,
          trigger: { type: event.type, reason: event.reason },
        },
      });
    }
    return raised;
  }
}
