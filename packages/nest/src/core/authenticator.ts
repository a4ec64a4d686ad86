import type { BastionRequest } from './http-request.js';
import type { CredentialType, Principal } from './principal.js';

/**
 * One way of authenticating a request (bearer JWT, API key, signature, mTLS…). The authentication
 * guard asks every authenticator whether its credential is present, refuses ambiguous requests, and
 * lets the one that matches verify it.
 */
export interface Authenticator {
  readonly credential: CredentialType;
  /** True when the request carries this kind of credential at all, even malformed. */
  isPresented(req: BastionRequest): boolean;
  /** Verifies the credential; throws a `BastionException` (uniform 401/400) when it is not valid. */
  authenticate(req: BastionRequest): Promise<Principal>;
}

/** Injection token: the list of enabled {@link Authenticator}s. */
export const AUTHENTICATORS = Symbol('BASTION_AUTHENTICATORS');
