import type { CredentialWay } from '../authentication/credential-combinations.js';
import type { DpopMode } from '../authentication/dpop/dpop-options.js';

/**
 * One named trust boundary: which credentials may reach the routes in it, and optional extra
 * requirements every principal there must meet.
 *
 * @example
 * ```ts
 * boundaries: {
 *   public: { accept: ['jwt'] },
 *   internal: { accept: ['service-key'], clients: ['billing-worker'] },
 *   partners: { accept: [['api-key', 'signature']] },      // an API key and a signature made with its signing key, together
 * },
 * defaultBoundary: 'public',
 * ```
 */
export interface BoundaryOptions {
  /**
   * Ways in: credential types accepted alone, or lists of types that must be presented together (a
   * combination a built-in verifies: `['api-key', 'signature']`). Any other credential is refused (403)
   * even when valid. Non-empty; each must have an authenticator (a configured built-in or one of
   * `authenticators`).
   */
  accept: CredentialWay[];
  /** Scopes every principal must hold in this boundary, on top of each route's own. Default none. */
  requireScopes?: string[];
  /**
   * When set, only these clients may call routes in this boundary: a token's `client_id`/`azp` (never
   * its `sub`, which names a user for user tokens); for API keys, signatures and mTLS the client id,
   * else the subject.
   */
  clients?: string[];
  /**
   * DPoP mode of the routes in this boundary (RFC 9449): `'allowed'`, `'required'` (a bearer token gets
   * 401 with a `DPoP` challenge) or `'disabled'`. Needs the `dpop` option. Default: `dpop.mode`.
   */
  dpop?: DpopMode;
}
