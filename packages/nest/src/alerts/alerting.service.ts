import { Inject, Injectable, Optional, type LoggerService, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { bastionLogger } from '../audit/redacting-logger.js';
import { defaultRedactor } from '../audit/redactor.js';
import type { SecurityEvent } from '../audit/security-event.js';
import { SecurityEvents } from '../audit/security-events.service.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import { BASTION_STORE, type BastionStore } from '../stores/store.interface.js';
import { BastionTelemetry } from '../telemetry/bastion-telemetry.js';
import { AlertDetector } from './alert-detector.js';
import { DEFAULT_ALERT_RULES } from './alert-rules.js';
import { WebhookSender } from './webhook-sender.js';

/**
 * Wires alerting to the event bus: every event feeds the detector (in the background), every alert it
 * raises is published as an `alert.raised` event (so it reaches the audit log) and handed to the
 * webhook and `onAlert`. Nothing here is awaited by a request.
 */
@Injectable()
export class AlertingService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger: LoggerService = bastionLogger('BastionAlerts');
  private unsubscribe: (() => void) | undefined;
  private detector: AlertDetector | undefined;
  /** The webhook sender, when `alerts.webhook` is set (exposed for health checks and tests). */
  webhook: WebhookSender | undefined;

  private readonly options: BastionOptions;

  constructor(
    private readonly events: SecurityEvents,
    @Inject(BASTION_STORE) private readonly store: BastionStore,
    @Inject(BASTION_CONFIG) config: BastionConfig,
    @Optional() private readonly telemetry?: BastionTelemetry,
  ) {
    this.options = config.options;
  }

  onModuleInit(): void {
    const alerts = this.options.alerts ?? {};
    if (alerts.enabled === false) return;
    this.detector = new AlertDetector(this.store, alerts.rules ?? DEFAULT_ALERT_RULES, alerts.cooldown ?? 300);
    if (alerts.webhook) this.webhook = new WebhookSender(alerts.webhook, this.logger);
    this.unsubscribe = this.events.subscribe((event) => {
      if (event.type === 'alert.raised') this.dispatch(event);
      else void this.observe(event);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await this.webhook?.close();
  }

  private async observe(event: SecurityEvent): Promise<void> {
    try {
      for (const alert of await this.detector!.observe(event)) this.events.emit(alert);
    } catch (error) {
      // The store is down: detection pauses, requests are unaffected. Say so without details.
      this.telemetry?.storeFailure('alerts', 'skip', error);
      this.logger.warn(`alert detection skipped an event: ${(error as Error)?.name ?? 'error'}`);
    }
  }

  private dispatch(alert: SecurityEvent): void {
    const redacted = defaultRedactor(alert) as SecurityEvent;
    this.webhook?.enqueue(redacted);
    const onAlert = this.options.alerts?.onAlert;
    if (!onAlert) return;
    try {
      void Promise.resolve(onAlert(redacted)).catch(() => this.logger.warn('alerts.onAlert rejected'));
    } catch {
      this.logger.warn('alerts.onAlert threw');
    }
  }
}
