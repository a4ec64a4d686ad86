import type { Principal } from '../../core/principal.js';
import type { AccessTokenCredential } from '../issuers/access-token-verifier.js';
import { principalOf, type MappedIdentity } from '../jwt/claims-principal.js';

/** DPoP principals whose access token is a JWT verified here (not an introspected opaque token). */
const overJwt = new WeakSet<Principal>();

/** The principal of a DPoP request (credential `dpop`), remembering how its access token was verified. */
export function dpopPrincipal(identity: MappedIdentity, token: AccessTokenCredential): Principal {
  const principal = principalOf(identity, 'dpop');
  if (token === 'jwt') overJwt.add(principal);
  return principal;
}

/**
 * True for a DPoP principal whose access token is a JWT: it obeys the same lifetime rules
 * (`tokens.maxLifetime`, `tokens.requireJti`) as a bearer JWT; an introspected token's lifetime is the
 * issuer's to decide, as for bearer opaque tokens.
 */
export function isDpopOverJwt(principal: Principal): boolean {
  return overJwt.has(principal);
}
