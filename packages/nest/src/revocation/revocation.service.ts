import { Inject, Injectable } from '@nestjs/common';
import { SecurityEvents } from '../audit/security-events.service.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import type { Principal } from '../core/principal.js';
import { BastionException } from '../errors/bastion.exception.js';
import { BASTION_SECURITY_STATE, SecurityStateFullError, readSecurityState, type SecurityStateStore } from '../stores/security-state.interface.js';
import { cutoffRetentionMs, isCutOff, jtiRetentionMs, parseCutoff, revocationKey, revocationKeysOf, type RevocationScope } from './revocation-rules.js';
import type { RevocationSettings } from './revocation-settings.js';

/**
 * Revokes tokens in the shared store, so every instance sees it: one token by `jti` until it expires,
 * or everything a subject or client got up to a time ("log out everywhere"). Inject it where your app
 * handles logout, password change or incident response.
 *
 * @example
 * ```ts
 * constructor(private readonly revocation: RevocationService) {}
 * async logout(@CurrentPrincipal() p: Principal) { await this.revocation.revokeToken(p.tokenId!, p.expiresAt); }
 * async logoutEverywhere(@CurrentPrincipal() p: Principal) { await this.revocation.revokeSubject(p.subject); }
 * ```
 */
@Injectable()
export class RevocationService {
  /** Revocation and lifetime settings, resolved once at boot (`BastionConfig.revocation`). */
  readonly settings: RevocationSettings;

  constructor(
    @Inject(BASTION_SECURITY_STATE) private readonly store: SecurityStateStore,
    private readonly events: SecurityEvents,
    @Inject(BASTION_CONFIG) config: BastionConfig,
  ) {
    this.settings = config.revocation;
  }

  /**
   * Revokes one token by its `jti` until `expiresAt` (a `Date`, or the `exp` claim in epoch seconds);
   * without it, for the maximum token lifetime. Rejects with a 503 `BastionException` (reason
   * `ERR_SECURITY_STATE_FULL`) when revocations are at their bound: the token is NOT revoked then.
   */
  async revokeToken(jti: string, expiresAt?: Date | number): Promise<void> {
    if (typeof jti !== 'string' || jti === '') throw new TypeError('revokeToken: jti must be a non-empty string');
    const { cutoffLifetime, retentionTolerance } = this.settings;
    const ttl = jtiRetentionMs(expiresAt, cutoffLifetime, retentionTolerance, Date.now());
    await this.write(revocationKey('jti', jti), '1', ttl);
    this.events.emit({ type: 'token.revoked', outcome: 'info', reason: 'REVOKED_TOKEN', principal: { keyId: jti } });
  }

  /** Revokes every token issued to `subject` at or before `before` (default now): "log out everywhere". */
  async revokeSubject(subject: string, before: Date = new Date()): Promise<void> {
    await this.cutOff('sub', subject, before);
    this.events.emit({ type: 'token.revoked', outcome: 'info', reason: 'REVOKED_SUBJECT', principal: { subject }, details: { before: before.toISOString() } });
  }

  /** Revokes every token issued to OAuth client `clientId` at or before `before` (default now). */
  async revokeClient(clientId: string, before: Date = new Date()): Promise<void> {
    await this.cutOff('client', clientId, before);
    this.events.emit({ type: 'token.revoked', outcome: 'info', reason: 'REVOKED_CLIENT', principal: { clientId }, details: { before: before.toISOString() } });
  }

  /**
   * Whether `principal`'s token is revoked. Throws when the store cannot answer; callers fail closed.
   * Subject and client cut-offs apply to tokens (JWT, introspection, DPoP), whose `iat` says when they were issued.
   */
  async isRevoked(principal: Principal): Promise<boolean> {
    return this.revokedNow(principal);
  }

  /**
   * {@link RevocationService.isRevoked}, answered synchronously when the store can (memory: no promise
   * per request), else a promise. Throws (or rejects) when the store cannot answer.
   */
  revokedNow(principal: Principal): boolean | Promise<boolean> {
    const keys = revocationKeysOf(principal);
    const jti = keys.jti === undefined ? undefined : readSecurityState(this.store, 'revocation', keys.jti);
    const sub = keys.sub === undefined ? undefined : readSecurityState(this.store, 'revocation', keys.sub);
    const client = keys.client === undefined ? undefined : readSecurityState(this.store, 'revocation', keys.client);
    if (typeof jti === 'object' || typeof sub === 'object' || typeof client === 'object') {
      return Promise.all([jti, sub, client]).then(([j, s, c]) => this.judge(principal, j, s, c));
    }
    return this.judge(principal, jti, sub, client);
  }

  /** The verdict from the stored entries: a listed `jti`, or a cut-off at or after the token's `iat`. */
  private judge(principal: Principal, jti: string | undefined, sub: string | undefined, client: string | undefined): boolean {
    if (jti !== undefined) return true;
    if (sub === undefined && client === undefined) return false;
    const now = Math.floor(Date.now() / 1000);
    for (const cutoff of [sub, client]) {
      if (cutoff !== undefined && isCutOff(parseCutoff(cutoff, now), principal.claims.iat, this.settings.issuerTolerance)) return true;
    }
    return false;
  }

  private async cutOff(scope: RevocationScope, id: string, before: Date): Promise<void> {
    if (typeof id !== 'string' || id === '') throw new TypeError(`revoke: ${scope} must be a non-empty string`);
    const key = revocationKey(scope, id);
    const seconds = Math.floor(before.getTime() / 1000);
    // Keep the latest cut-off when two are set (an earlier one must never undo a later one).
    const existing = await this.store.get('revocation', key);
    const cutoff = existing !== undefined ? Math.max(parseCutoff(existing, seconds), seconds) : seconds;
    const { cutoffLifetime, retentionTolerance } = this.settings;
    await this.write(key, String(cutoff), cutoffRetentionMs(cutoff * 1000, cutoffLifetime, retentionTolerance, Date.now()));
  }

  private async write(key: string, value: string, ttlMs: number): Promise<void> {
    try {
      await this.store.put('revocation', key, value, ttlMs);
    } catch (error) {
      if (!(error instanceof SecurityStateFullError)) throw error;
      throw new BastionException('ERR_SERVICE_UNAVAILABLE', { reason: error.code, cause: error, headers: { 'Retry-After': '60' } });
    }
  }
}
