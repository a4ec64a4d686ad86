import { Inject, Injectable } from '@nestjs/common';
import { SecurityEvents } from '../audit/security-events.service.js';
import { BASTION_OPTIONS } from '../core/constants.js';
import { isTokenCredential, type Principal } from '../core/principal.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import { BASTION_STORE, type BastionStore } from '../stores/store.interface.js';
import { isCutOff, jtiRetentionMs, parseCutoff, revocationKey, type RevocationScope } from './revocation-rules.js';

const DEFAULT_MAX_LIFETIME = 3_600;
const DEFAULT_RETENTION = 30 * 24 * 3_600;

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
  constructor(
    @Inject(BASTION_STORE) private readonly store: BastionStore,
    private readonly events: SecurityEvents,
    @Inject(BASTION_OPTIONS) private readonly options: BastionOptions,
  ) {}

  /**
   * Revokes one token by its `jti` until `expiresAt` (a `Date`, or the `exp` claim in epoch seconds);
   * without it, for the maximum token lifetime.
   */
  async revokeToken(jti: string, expiresAt?: Date | number): Promise<void> {
    if (typeof jti !== 'string' || jti === '') throw new TypeError('revokeToken: jti must be a non-empty string');
    const ttl = jtiRetentionMs(expiresAt, this.cutoffRetentionSeconds(), this.tolerance(), Date.now());
    await this.store.set(revocationKey('jti', jti), '1', ttl);
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
    const token = isTokenCredential(principal.credential);
    const [jti, sub, client] = await Promise.all([
      principal.tokenId ? this.store.get(revocationKey('jti', principal.tokenId)) : undefined,
      token ? this.store.get(revocationKey('sub', principal.subject)) : undefined,
      token && principal.clientId ? this.store.get(revocationKey('client', principal.clientId)) : undefined,
    ]);
    if (jti !== undefined) return true;
    const now = Math.floor(Date.now() / 1000);
    for (const cutoff of [sub, client]) {
      if (cutoff !== undefined && isCutOff(parseCutoff(cutoff, now), principal.claims.iat)) return true;
    }
    return false;
  }

  private async cutOff(scope: RevocationScope, id: string, before: Date): Promise<void> {
    if (typeof id !== 'string' || id === '') throw new TypeError(`revoke: ${scope} must be a non-empty string`);
    const key = revocationKey(scope, id);
    const seconds = Math.floor(before.getTime() / 1000);
    // Keep the latest cut-off when two are set (an earlier one must never undo a later one).
    const existing = await this.store.get(key);
    const cutoff = existing !== undefined ? Math.max(parseCutoff(existing, seconds), seconds) : seconds;
    const ttl = (this.cutoffRetentionSeconds() + this.tolerance()) * 1000;
    await this.store.set(key, String(cutoff), ttl);
  }

  private cutoffRetentionSeconds(): number {
    const max = this.options.tokens?.maxLifetime ?? DEFAULT_MAX_LIFETIME;
    return max === false ? (this.options.revocation?.retention ?? DEFAULT_RETENTION) : max;
  }

  private tolerance(): number {
    return this.options.revocation?.clockTolerance ?? 60;
  }
}
