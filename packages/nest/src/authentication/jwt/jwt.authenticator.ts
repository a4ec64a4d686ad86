import type { SecurityEvents } from '../../audit/security-events.service.js';
import type { AccessTokenVerifier } from '../issuers/access-token-verifier.js';
import { BearerAuthenticator } from '../issuers/bearer.authenticator.js';

/**
 * The bearer-JWT authenticator (credential `jwt`): claims bearer tokens shaped as a compact JWS and
 * verifies them with `JwtVerifier` directly (no Passport object in the path). Every rejection becomes
 * the same 401 `invalid_token` carrying the precise reason and the token's claimed `sub`.
 */
export class JwtAuthenticator extends BearerAuthenticator {
  constructor(verifier: AccessTokenVerifier, events?: SecurityEvents) {
    super('jwt', verifier, events);
  }
}
