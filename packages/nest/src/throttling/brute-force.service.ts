import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AUTHENTICATION_FAILURE_EVENTS, type SecurityEvent } from '../audit/security-event.js';
import { SecurityEvents } from '../audit/security-events.service.js';
import { BASTION_OPTIONS } from '../core/constants.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import { BASTION_STORE, type BastionStore } from '../stores/store.interface.js';
import { blockDurationMs, bruteForceKeys as keys } from './brute-force.policy.js';
import { resolveBruteForceOptions, type ResolvedBruteForceOptions } from './throttle-options.js';

const NOT_GUESSES = new Set(['ERR_CREDENTIAL_MISSING', 'ERR_MULTIPLE_CREDENTIALS', 'ERR_CREDENTIAL_INCOMPLETE']);

/**
 * Counts failed authentications (`authentication.failed`, `signature.*`, `api-key.invalid` events) per client IP in a sliding window
 * and blocks an IP that passes the threshold, for a block time that doubles with each repeat (capped).
 * Failures are also counted per claimed identity, which only raises an `alert.raised` event: blocking an
 * identity anyone can name would let anyone lock its owner out.
 */
@Injectable()
export class BruteForceService implements OnModuleInit, OnModuleDestroy {
  protected readonly settings: ResolvedBruteForceOptions;
  private readonly logger = new Logger('BastionBruteForce');
  private unsubscribe?: () => void;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    @Inject(BASTION_OPTIONS) options: BastionOptions,
    @Inject(BASTION_STORE) protected readonly store: BastionStore,
    protected readonly events: SecurityEvents,
  ) {
    this.settings = resolveBruteForceOptions(options.bruteForce);
  }

  onModuleInit(): void {
    if (!this.settings.enabled) return;
    this.unsubscribe = this.events.subscribe((event) => {
      // Only presented credentials that failed count: a request without one (or with two) guesses nothing.
      if (!AUTHENTICATION_FAILURE_EVENTS.includes(event.type) || NOT_GUESSES.has(event.reason ?? '')) return;
      const work = this.recordFailure(event).catch((error: unknown) => {
        this.logger.error(`could not record a failed authentication (${(error as Error)?.name ?? 'error'})`);
      });
      this.pending.add(work);
      void work.finally(() => this.pending.delete(work));
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** Resolves when failures recorded so far are counted (for tests and graceful shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /** Ms left on the block of `ip`, or 0. Rejects when the store cannot answer (the guard applies the fail mode). */
  async blockedFor(ip: string): Promise<number> {
    if (!this.settings.enabled) return 0;
    const until = Number(await this.store.get(keys.block(ip)));
    return Number.isFinite(until) ? Math.max(0, until - Date.now()) : 0;
  }

  protected async recordFailure(event: SecurityEvent): Promise<void> {
    const { windowMs, maxFailures, identityAlertThreshold } = this.settings;
    const claimedId = event.claimed?.keyId ?? event.claimed?.clientId ?? event.claimed?.subject;
    if (claimedId) {
      const digest = createHash('sha256').update(claimedId).digest('base64url').slice(0, 32);
      const count = await this.store.hitSliding(keys.claimed(digest), windowMs);
      // Exactly at the threshold: one alert per burst, not one per failure.
      if (count === identityAlertThreshold) {
        this.events.emit({
          type: 'alert.raised',
          outcome: 'info',
          reason: 'ERR_AUTH_FAILURES_FOR_IDENTITY',
          requestId: event.requestId,
          ip: event.ip,
          claimed: event.claimed,
          details: { failures: count, windowMs },
        });
      }
    }
    const ip = event.ip;
    if (!ip || ip === 'unknown') return;
    const failures = await this.store.hitSliding(keys.failures(ip), windowMs);
    if (failures >= maxFailures) await this.block(ip, failures, event);
  }

  protected async block(ip: string, failures: number, event: SecurityEvent): Promise<void> {
    if ((await this.blockedFor(ip)) > 0) return;
    const level = Number(await this.store.get(keys.level(ip))) || 0;
    const duration = blockDurationMs(level, this.settings);
    if (!(await this.store.setIfAbsent(keys.block(ip), String(Date.now() + duration), duration))) return;
    await this.store.set(keys.level(ip), String(level + 1), this.settings.maxBlockMs);
    // The block has answered these failures; a fresh count starts when it ends.
    await this.store.delete(keys.failures(ip));
    this.events.emit({
      type: 'client.blocked',
      outcome: 'denied',
      reason: 'ERR_TOO_MANY_FAILED_AUTHENTICATIONS',
      requestId: event.requestId,
      ip,
      details: { failures, windowMs: this.settings.windowMs, blockMs: duration, level: level + 1 },
    });
  }
}
