import type { JWK } from 'jose';

/** JWS algorithms Bastion can verify. `none` is not one of them and cannot be configured. */
export const SUPPORTED_ALGORITHMS = [
  'RS256', 'RS384', 'RS512',
  'PS256', 'PS384', 'PS512',
  'ES256', 'ES384', 'ES512',
  'EdDSA',
  'HS256', 'HS384', 'HS512',
] as const;

export type JwtAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number];

/** Asymmetric algorithms accepted when `algorithms` is not set. */
export const DEFAULT_ALGORITHMS: readonly JwtAlgorithm[] = ['RS256', 'PS256', 'ES256', 'EdDSA'];

/** A JSON Web Key Set (RFC 7517 §5). */
export interface JsonWebKeySet {
  keys: JWK[];
}

/** A static verification key: a PEM public key (SPKI or X.509 certificate), a JWK, or a JWKS. */
export type StaticKey = string | JWK | JsonWebKeySet;

/** JWKS cache settings (all in seconds). */
export interface JwksCacheOptions {
  /** How long fetched keys are fresh, in seconds. Default 600 (10 min). */
  maxAge?: number;
  /**
   * Minimum time between two fetches caused by an unknown `kid` or a failed fetch, in seconds; at most 60.
   * A flood of random `kid`s causes at most one fetch per cooldown, and a key newly published by the
   * issuer is accepted at most one cooldown later. Default 30.
   */
  cooldown?: number;
  /** Fetch timeout (JWKS and discovery), in seconds; an aborted fetch counts as the endpoint being down. Default 5. */
  timeout?: number;
  /**
   * How long keys may still be used after `maxAge` when the endpoint cannot be reached, in seconds.
   * Past `maxAge + maxStale` without a successful fetch, tokens are rejected. Default 86,400 (24 h).
   */
  maxStale?: number;
}

/** Where Bastion reads the principal's scopes, roles and client id from. */
export interface JwtClaimMapping {
  /**
   * Claims holding scopes: space-delimited strings (`scope`, RFC 8693 §4.2) or string arrays (`scp`).
   * Dotted paths reach nested claims. Default `['scope', 'scp']`.
   */
  scopeClaims?: string[];
  /** Also read Auth0-style `permissions` (string array) as scopes. Default `false`. */
  permissionsAsScopes?: boolean;
  /**
   * Claims holding roles (string arrays or space-delimited strings); dotted paths reach nested claims,
   * e.g. `realm_access.roles` (Keycloak). Default `['roles']`.
   */
  roleClaims?: string[];
  /** Claims holding the OAuth client id, first present wins. Default `['client_id', 'azp']`. */
  clientIdClaims?: string[];
  /**
   * Accept an integer `sub` (apps that sign `{ sub: user.id }` with a numeric id, as the NestJS
   * authentication recipe does) and use its decimal form as the subject. RFC 7519 §4.1.2 makes `sub` a
   * string, so this is off by default.
   */
  acceptNumericSubject?: boolean;
}

/**
 * A migration window for an issuer whose tokens already in circulation lack `iss` and/or `aud` (an app
 * that signs its own tokens and starts adding them now). Until `until`, a token missing one of the
 * listed claims is accepted for this issuer — and every such acceptance is audited
 * (`token.legacy_accepted`) so the window can be seen draining. Only for an issuer with a static
 * `secret` or `keys`, only one such issuer per app; after `until` the claims are required again.
 *
 * @example
 * ```ts
 * legacy: { acceptMissing: ['iss', 'aud'], until: '2027-01-31T00:00:00Z' }
 * ```
 */
export interface LegacyWindowOptions {
  /** Claims a token may lack during the window: `'iss'` (the token then selects this issuer), `'aud'`. */
  acceptMissing: ('iss' | 'aud')[];
  /** End of the window (ISO 8601 date-time or `Date`); at most 366 days after boot. */
  until: string | Date;
}

/**
 * One trusted token issuer. Keys come from exactly one of `jwksUri`, `discovery`, `keys` or `secret`.
 *
 * @example
 * ```ts
 * { issuer: 'https://id.example.com', audience: 'orders-api', jwksUri: 'https://id.example.com/.well-known/jwks.json' }
 * { issuer: 'https://id.example.com/realms/shop', audience: 'orders-api', discovery: true,
 *   claims: { roleClaims: ['realm_access.roles'] } }
 * ```
 */
export interface JwtIssuerOptions {
  /** Expected `iss`, compared exactly; also selects this issuer for a token. Required. */
  issuer: string;
  /** Accepted `aud` value(s); a token must name at least one. Required. */
  audience: string | string[];
  /** JWKS URL (HTTPS; `http:` only on loopback or with `allowInsecureHttp`). */
  jwksUri?: string;
  /**
   * Find the JWKS through OIDC discovery (`<issuer>/.well-known/openid-configuration`); the discovered
   * `issuer` must equal `issuer`. Default `false`.
   */
  discovery?: boolean;
  /** Static verification keys: PEM (SPKI/certificate), JWK, JWKS, or an array of them. */
  keys?: StaticKey | StaticKey[];
  /** HMAC secret for `HS256`/`HS384`/`HS512` only, at least 32 bytes; requires `algorithms` listing only HS*. */
  secret?: string | Uint8Array;
  /** Accepted `alg` values. Default `['RS256', 'PS256', 'ES256', 'EdDSA']`; `none` is refused at boot. */
  algorithms?: JwtAlgorithm[];
  /** Allowed clock skew for `exp`, `nbf` and `iat`, in seconds. Default 5. */
  clockTolerance?: number;
  /** Maximum age of a token since its `iat`, in seconds (then `iat` is required). Default: no limit. */
  maxTokenAge?: number;
  /**
   * `'rfc9068'`: require the JWT access-token profile (`typ` `at+jwt`; `iss`, `exp`, `aud`, `sub`,
   * `client_id`, `iat`, `jti` present). Default: plain JWT (`typ` absent, `JWT` or `at+jwt`).
   */
  profile?: 'rfc9068';
  /**
   * With `profile: 'rfc9068'`, also accept `typ: JWT` where the profile says `at+jwt` (identity providers
   * that profile their access tokens but type them as plain JWTs). The profile's required claims are
   * still required. Default `false`; refused at boot without the profile.
   */
  acceptJwtTyp?: boolean;
  /** Migration window for tokens already issued without `iss`/`aud` (apps that sign their own tokens). */
  legacy?: LegacyWindowOptions;
  /** Allow `http:` JWKS/discovery URLs off loopback. Default `false`; never do this in production. */
  allowInsecureHttp?: boolean;
  /** JWKS cache settings. */
  jwks?: JwksCacheOptions;
  /** Claim mapping into the principal. */
  claims?: JwtClaimMapping;
  /**
   * Verified tokens remembered until their `exp` so a reused token is not re-verified (claims are still
   * re-checked against the clock). Number of entries; `0` disables. Default 10,000.
   */
  tokenCacheSize?: number;
}

/** `jwt` option: one issuer or several, each with its own keys and audiences; a token's `iss` picks one. */
export type JwtOptions = JwtIssuerOptions | JwtIssuerOptions[];
