import { Inject, Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AUTHENTICATION_FAILURE_EVENTS, type SecurityEvent } from '../audit/security-event.js';
import { SecurityEvents } from '../audit/security-events.service.js';
import { sha256 } from '../core/sha256.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import { BASTION_SECURITY_STATE, SecurityStateFullError, readSecurityState, type SecurityStateStore } from '../stores/security-state.interface.js';
import { BASTION_STORE, type BastionStore } from '../stores/store.interface.js';
import { BastionTelemetry } from '../telemetry/bastion-telemetry.js';
import { blockDurationMs, bruteForceClient, bruteForceKeys as keys, formatBlock, parseBlock } from './brute-force.policy.js';
import type { ResolvedBruteForceOptions } from './throttle-options.js';

/** Ms left on a stored block, or 0. */
function msLeft(stored: string | undefined): number {
  const block = parseBlock(stored);
  return block ? Math.max(0, block.until - Date.now()) : 0;
}

// A DPoP nonce challenge is a protocol step every DPoP client meets once per nonce period.
const NOT_GUESSES = new Set(['ERR_CREDENTIAL_MISSING', 'ERR_MULTIPLE_CREDENTIALS', 'ERR_CREDENTIAL_INCOMPLETE', 'ERR_DPOP_NONCE_REQUIRED']);

/**
 * Counts failed authentications (`AUTHENTICATION_FAILURE_EVENTS`: `authentication.failed`, `signature.*`,
 * `api-key.invalid`) per client — IPv4 address or IPv6 /64 — in a sliding window and blocks a client
 * that passes the threshold, for a block time that doubles
 * with each repeat (capped). Failure windows are counters (evictable); blocks are security state (never
 * evicted; a block that cannot be stored because blocks are at their bound raises the operator alert and
 * is logged). Failures are also counted per claimed identity, which only raises an `alert.raised` event:
 * blocking an identity anyone can name would let anyone lock its owner out.
 */
@Injectable()
export class BruteForceService implements OnModuleInit, OnModuleDestroy {
  protected readonly settings: ResolvedBruteForceOptions;
  private readonly logger = new Logger('BastionBruteForce');
  private unsubscribe?: () => void;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    @Inject(BASTION_CONFIG) config: BastionConfig,
    @Inject(BASTION_STORE) protected readonly store: BastionStore,
    protected readonly events: SecurityEvents,
    @Inject(BASTION_SECURITY_STATE) protected readonly securityState: SecurityStateStore,
    @Optional() private readonly telemetry?: BastionTelemetry,
  ) {
    this.settings = config.bruteForce;
  }

  onModuleInit(): void {
    if (!this.settings.enabled) return;
    this.unsubscribe = this.events.subscribe(
      (event) => {
        // Only presented credentials that failed count: a request without one (or with two) guesses nothing.
        if (!AUTHENTICATION_FAILURE_EVENTS.includes(event.type) || NOT_GUESSES.has(event.reason ?? '')) return;
        const work = this.recordFailure(event).catch((error: unknown) => {
          this.telemetry?.storeFailure('brute_force', 'skip', error);
          // A full block store is reported by the security-state alarm (rate-limited): an attacker who
          // fills it must not also flood the log with one line per failure.
          if (error instanceof SecurityStateFullError) return;
          this.logger.error(`could not record a failed authentication (${(error as Error)?.name ?? 'error'})`);
        });
        this.pending.add(work);
        void work.finally(() => this.pending.delete(work));
      },
      { types: AUTHENTICATION_FAILURE_EVENTS },
    );
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** Resolves when failures recorded so far are counted (for tests and graceful shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /**
   * Ms left on the block of the client at `ip` (its /64 for IPv6), or 0. Rejects when the store cannot
   * answer (the guard applies the fail mode).
   */
  async blockedFor(ip: string): Promise<number> {
    return this.blockedNow(ip);
  }

  /**
   * {@link BruteForceService.blockedFor}, answered synchronously when the security-state store can (memory), else a
   * promise: the block is read from the store on every request either way, so a block set by another
   * instance (shared store) is seen at once. Throws (or rejects) when the store cannot answer.
   */
  blockedNow(ip: string): number | Promise<number> {
    if (!this.settings.enabled) return 0;
    const stored = readSecurityState(this.securityState, 'block', bruteForceClient(ip));
    return typeof stored === 'object' ? stored.then(msLeft) : msLeft(stored);
  }

  protected async recordFailure(event: SecurityEvent): Promise<void> {
    const { windowMs, maxFailures, identityAlertThreshold } = this.settings;
    const claimedId = event.claimed?.keyId ?? event.claimed?.clientId ?? event.claimed?.subject;
    if (claimedId) {
      const digest = sha256(claimedId).slice(0, 32);
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
    if (!event.ip || event.ip === 'unknown') return;
    const client = bruteForceClient(event.ip);
    const failures = await this.store.hitSliding(keys.failures(client), windowMs);
    if (failures >= maxFailures) await this.block(client, failures, event);
  }

  /** Blocks `client` (an address or a /64, see `bruteForceClient`) unless a block is running. */
  protected async block(client: string, failures: number, event: SecurityEvent): Promise<void> {
    const now = Date.now();
    const previous = parseBlock(await this.securityState.get('block', client));
    if (previous && previous.until > now) return;
    const level = previous?.level ?? 0;
    const duration = blockDurationMs(level, this.settings);
    // Kept for maxBlockMs (≥ the block): the level outlives the block so that a repeat block doubles.
    await this.securityState.put('block', client, formatBlock({ until: now + duration, level: level + 1 }), this.settings.maxBlockMs);
    // The block has answered these failures; a fresh count starts when it ends.
    await this.store.delete(keys.failures(client));
    this.events.emit({
      type: 'client.blocked',
      outcome: 'denied',
      reason: 'ERR_TOO_MANY_FAILED_AUTHENTICATIONS',
      requestId: event.requestId,
      ip: event.ip,
      details: { client, failures, windowMs: this.settings.windowMs, blockMs: duration, level: level + 1 },
    });
  }
}
