import type { Principal } from '../core/principal.js';
import type { RequestContext } from '../core/request-context.js';

/**
 * Port: a check run on every principal right after its credential was verified (revocation, lifetime
 * rules…). It throws (or rejects with) a `BastionException` — usually `InvalidTokenException(reason)` —
 * to reject. A check that can answer synchronously returns nothing (no promise per request).
 */
export interface PrincipalCheck {
  check(principal: Principal, ctx: RequestContext): void | Promise<void>;
}

/** Injection token: the list of {@link PrincipalCheck}s the authentication guard runs, in order. */
export const PRINCIPAL_CHECKS = Symbol('BASTION_PRINCIPAL_CHECKS');
