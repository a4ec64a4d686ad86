import type { CredentialType } from '../core/principal.js';
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
 * },
 * defaultBoundary: 'public',
 * ```
 */
export interface BoundaryOptions {
  /**
   * Credential types accepted here; any other credential is refused (403) even when valid. Non-empty;
   * each must have an authenticator (a configured built-in or one of `authenticators`).
   */
  accept: CredentialType[];
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
