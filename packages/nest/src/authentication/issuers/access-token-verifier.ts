import type { MappedIdentity } from '../jwt/claims-principal.js';
import { claimedIssuer, looksLikeCompactJws } from '../jwt/compact-jws.js';
import type { IssuerConfig } from '../jwt/jwt-config.js';
import type { JwtVerifier } from '../jwt/jwt-verifier.js';
import type { IntrospectionVerifier } from '../introspection/introspection-verifier.js';

/** The two ways a bearer access token is checked. */
export type AccessTokenCredential = 'jwt' | 'introspection';

/** A verified access token: how it was checked, and the identity it carries (claims incl. `cnf`). */
export interface VerifiedAccessToken {
  readonly credential: AccessTokenCredential;
  readonly identity: MappedIdentity;
}

/**
 * Verifies an access token string against the trust list, whatever its kind: a compact JWS is verified
 * locally (`JwtVerifier`, issuer by `iss`); anything else is introspected (`IntrospectionVerifier`). A JWS
 * whose claimed `iss` names an issuer configured for introspection only is introspected too. Used by
 * the bearer authenticators, and by any credential that carries an access token (DPoP, mTLS-bound).
 *
 * @example
 * ```ts
 * const { credential, identity } = await accessTokens.verify(token);
 * const thumbprint = (identity.claims.cnf as { jkt?: string } | undefined)?.jkt;
 * ```
 */
export class AccessTokenVerifier {
  private readonly introspectOnly: ReadonlySet<string>;

  constructor(
    readonly jwt: JwtVerifier | null,
    readonly introspection: IntrospectionVerifier | null,
    /** The trust list, resolved (`BastionConfig.issuers`). */
    readonly configs: readonly IssuerConfig[],
  ) {
    this.introspectOnly = new Set(configs.filter((c) => c.source === undefined && c.introspection).map((c) => c.issuer));
  }

  /**
   * Which verifier a token goes to, from its shape alone (nothing is verified here). `undefined` (a token
   * that could not be read from the request) goes to JWT verification when configured, which then refuses it.
   */
  credentialOf(token: string | undefined): AccessTokenCredential {
    return this.onlyCredential ?? this.routed(token);
  }

  /** The one way every token goes when only one verifier is configured (its shape is then never read). */
  get onlyCredential(): AccessTokenCredential | undefined {
    return !this.introspection ? 'jwt' : !this.jwt ? 'introspection' : undefined;
  }

  /** Both verifiers configured: the token's shape decides. */
  private routed(token: string | undefined): AccessTokenCredential {
    if (token === undefined) return 'jwt';
    if (!looksLikeCompactJws(token)) return 'introspection';
    if (this.introspectOnly.size > 0) {
      const iss = claimedIssuer(token);
      if (iss !== undefined && this.introspectOnly.has(iss)) return 'introspection';
    }
    return 'jwt';
  }

  /** Verifies `token`; throws `JwtRejection` with the precise reason. */
  async verify(token: string): Promise<VerifiedAccessToken> {
    const credential = this.credentialOf(token);
    return { credential, identity: await this.verifyAs(credential, token) };
  }

  /** Verifies `token` the given way (after routing). */
  verifyAs(credential: AccessTokenCredential, token: string): Promise<MappedIdentity> {
    const verifier = credential === 'jwt' ? this.jwt : this.introspection;
    // Routing only picks a configured verifier; fail closed should that ever not hold.
    if (!verifier) return Promise.reject(new Error(`no ${credential} verifier`));
    return verifier.verify(token);
  }
}
