import type { BastionRequest } from '../core/http-request.js';
import type { Principal } from '../core/principal.js';

/**
 * Port: a check run on every principal right after its credential was verified (revocation, lifetime
 * rules…). It throws a `BastionException` — usually `InvalidTokenException(reason)` — to reject.
 */
export interface PrincipalCheck {
  check(principal: Principal, req: BastionRequest): Promise<void>;
}

/** Injection token: the list of {@link PrincipalCheck}s the authentication guard runs, in order. */
export const PRINCIPAL_CHECKS = Symbol('BASTION_PRINCIPAL_CHECKS');
