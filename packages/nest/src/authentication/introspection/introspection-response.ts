import { checkAudience, checkTimes, checkTypes } from '../jwt/claims.js';
import { identityFromClaims, type MappedIdentity } from '../jwt/claims-principal.js';
import type { IssuerConfig } from '../jwt/jwt-config.js';
import { reject } from '../jwt/jwt-errors.js';

/** RFC 7662 §2.2 `token_type` values of an access token usable here; anything else (a refresh token…) is refused. */
const ACCESS_TOKEN_TYPES = new Set(['bearer', 'dpop']);

/**
 * Validates an introspection response (RFC 7662 §2.2) and maps it to an identity; `'inactive'` when the
 * server says the token is not active. `active` must be the boolean `true` (a string `"true"` or a missing
 * member is a malformed response, not an active token); `iss`, when present, must be the configured
 * issuer; `aud` must name one of the issuer's audiences (unless `requireAudience: false`); `exp`, `nbf`
 * and `iat` are checked with the clock tolerance; claim types as for a JWT. `now` in seconds.
 */
export function identityFromIntrospection(response: Record<string, unknown>, config: IssuerConfig, now: number): MappedIdentity | 'inactive' {
  if (typeof response.active !== 'boolean') reject('ERR_INTROSPECTION_RESPONSE_INVALID', 'active is not a boolean');
  if (response.active !== true) return 'inactive';
  const claims: Record<string, unknown> = { ...response };
  delete claims.active;
  checkTypes(claims, config);
  if (claims.iss !== undefined && claims.iss !== config.issuer) reject('ERR_ISSUER_MISMATCH');
  const tokenType = claims.token_type;
  if (tokenType !== undefined && (typeof tokenType !== 'string' || !ACCESS_TOKEN_TYPES.has(tokenType.toLowerCase()))) {
    reject('ERR_TYPE_REJECTED', 'token_type is not an access token type');
  }
  checkAudience(claims, config, now * 1000, config.introspection?.requireAudience !== false);
  checkTimes(claims, config, now, false);
  return identityFromClaims(claims, config);
}
