import { Injectable, Optional } from '@nestjs/common';
import type { Principal } from '../core/principal.js';
import { isDpopOverJwt } from '../authentication/dpop/dpop-principal.js';
import { InvalidTokenException } from '../errors/bastion.exception.js';
import { BastionTelemetry } from '../telemetry/bastion-telemetry.js';
import type { PrincipalCheck } from './principal-check.js';
import { lifetimeViolation } from './revocation-rules.js';
import { RevocationService } from './revocation.service.js';

/** The identity an event may name for a rejected token: identifiers only, never the token. */
function claimedOf(principal: Principal): Record<string, string> {
  const claimed: Record<string, string> = { subject: principal.subject, credential: principal.credential };
  if (principal.clientId) claimed.clientId = principal.clientId;
  if (principal.tokenId) claimed.keyId = principal.tokenId;
  return claimed;
}

/** Throws the uniform 401 `invalid_token` for a verified principal, naming it (identifiers only) for the audit event. */
export function reject(reason: string, principal: Principal, cause?: unknown): never {
  const error = new InvalidTokenException(reason, cause);
  // The authentication guard puts `claimed` on the audit event.
  Object.assign(error, { claimed: claimedOf(principal) });
  throw error;
}

/**
 * Runs after signature verification on every request: lifetime rules (`tokens.maxLifetime`,
 * `tokens.requireJti`) and revocation. Every rejection is the uniform 401 `invalid_token`; the audit
 * reason says which (`ERR_TOKEN_LIFETIME`, `ERR_TOKEN_ID_MISSING`, `ERR_TOKEN_REVOKED`,
 * `ERR_REVOCATION_UNAVAILABLE` when the store cannot answer — fail closed).
 */
@Injectable()
export class TokenChecks implements PrincipalCheck {
  constructor(
    private readonly revocation: RevocationService,
    @Optional() private readonly telemetry?: BastionTelemetry,
  ) {}

  check(principal: Principal): void | Promise<void> {
    const settings = this.revocation.settings;
    // A DPoP-bound JWT obeys the same lifetime rules as a bearer one (introspected tokens: the issuer decides).
    if (principal.credential === 'jwt' || isDpopOverJwt(principal)) {
      const violation = lifetimeViolation(principal.claims, settings, Date.now(), principal.tokenId);
      if (violation) reject(violation, principal);
    }
    if (!settings.enabled) return;
    let revoked: boolean | Promise<boolean>;
    try {
      revoked = this.revocation.revokedNow(principal);
    } catch (error) {
      return this.unavailable(principal, error);
    }
    // The memory store answers at once; a shared store (Redis) with a promise.
    if (typeof revoked === 'boolean') return this.settle(principal, revoked);
    return revoked.then(
      (answer) => this.settle(principal, answer),
      (error: unknown) => this.unavailable(principal, error),
    );
  }

  private settle(principal: Principal, revoked: boolean): void {
    this.telemetry?.revocationCheck(revoked ? 'revoked' : 'not_revoked');
    if (revoked) reject('ERR_TOKEN_REVOKED', principal);
  }

  /** The store cannot answer: fail closed. */
  private unavailable(principal: Principal, error: unknown): never {
    this.telemetry?.revocationCheck('error');
    this.telemetry?.storeFailure('revocation', 'closed', error);
    reject('ERR_REVOCATION_UNAVAILABLE', principal, error);
  }
}
