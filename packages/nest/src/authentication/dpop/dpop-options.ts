/** JWS algorithms a DPoP proof may use: asymmetric only (RFC 9449 §4.2, §11.6). */
export const DPOP_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'EdDSA'] as const;

/** One of {@link DPOP_ALGORITHMS}. */
export type DpopAlgorithm = (typeof DPOP_ALGORITHMS)[number];

/** Proof algorithms accepted when `dpop.algorithms` is not set. */
export const DEFAULT_DPOP_ALGORITHMS: readonly DpopAlgorithm[] = ['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA'];

/**
 * How a route treats DPoP: `allowed` (DPoP-bound tokens with a proof, and plain bearer tokens),
 * `required` (only DPoP; a bearer token is refused with 401) or `disabled` (only bearer; a DPoP request
 * is refused with 401). In every mode a DPoP-bound token sent as `Bearer` is refused (RFC 9449 §7.2).
 */
export type DpopMode = 'allowed' | 'required' | 'disabled';

/** Server-provided nonces (RFC 9449 §9). */
export interface DpopNonceOptions {
  /**
   * Seconds a nonce is current. The previous nonce is still accepted, so a nonce lives between one and
   * two periods; a client then gets one `use_dpop_nonce` challenge with the new one. Default 300.
   */
  rotation?: number;
}

/**
 * DPoP (RFC 9449): access tokens bound to a key the client holds, sent as `Authorization: DPoP <token>`
 * with a `DPoP` proof header signed by that key. The access token is verified by the `jwt` issuers; the
 * token's `cnf.jkt` must be the proof key's thumbprint.
 *
 * @example
 * ```ts
 * BastionModule.forRoot({
 *   jwt: { issuer: 'https://id.example.com', audience: 'orders-api', jwksUri: 'https://id.example.com/jwks' },
 *   dpop: { nonce: { rotation: 300 }, origins: ['https://api.example.com'] },
 * });
 * ```
 */
export interface DpopOptions {
  /** Proof algorithms accepted (asymmetric only). Default `['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA']`. */
  algorithms?: DpopAlgorithm[];
  /** Mode of routes that set none (`@Dpop()` or their boundary's `dpop`). Default `'allowed'`. */
  mode?: DpopMode;
  /** How long after its `iat` a proof is accepted, in seconds (RFC 9449 §11.1). Default 60; at most 600. */
  maxAge?: number;
  /** Allowance for client clocks ahead of or behind the server's, in seconds. Default 5; at most 60. */
  clockTolerance?: number;
  /**
   * Require a server-provided nonce in every proof (`true` or settings). The current nonce is kept in the
   * store, so every instance on a shared store (Redis) issues and accepts the same one. Default off.
   */
  nonce?: boolean | DpopNonceOptions;
  /**
   * Public origins of this API (`https://api.example.com`). When set, a proof's `htu` must name one of
   * them plus the request path; the request's own `Host` is not consulted. Default: the origin of the
   * request as received (scheme and host as vouched for by trusted proxies).
   */
  origins?: string[];
}
