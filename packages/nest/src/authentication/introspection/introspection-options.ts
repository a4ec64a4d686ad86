import type { ClientAuthOptions } from '../../oauth-client/client-auth.js';

/** How long introspection results are remembered (seconds) and how many. */
export interface IntrospectionCacheOptions {
  /**
   * Longest time an active result is reused, in seconds; it is never reused past the token's `exp`.
   * A token revoked at the authorization server keeps working here for at most this long. Default 60.
   */
  maxTtl?: number;
  /** How long an inactive result is remembered, in seconds (spares the server repeated bad tokens). Default 30. */
  inactiveTtl?: number;
  /** Entries kept per kind (active, inactive); `0` disables caching. Default 10,000. */
  size?: number;
}

/**
 * Token introspection (RFC 7662) for an issuer's opaque access tokens. The endpoint comes from
 * `endpoint`, or from the issuer's discovery document (`introspection_endpoint`) when the issuer has
 * `discovery: true`. Bastion authenticates as the client configured here.
 *
 * @example
 * ```ts
 * issuers: [{
 *   issuer: 'https://id.example.com', audience: 'orders-api', discovery: true,
 *   introspection: { clientId: 'orders-api', clientSecret: process.env.INTROSPECTION_SECRET },
 * }]
 * ```
 */
export interface IntrospectionOptions extends ClientAuthOptions {
  /** Introspection endpoint URL (HTTPS; `http:` only on loopback or with the issuer's `allowInsecureHttp`). */
  endpoint?: string;
  /**
   * Opaque tokens that start with one of these prefixes go to this issuer only (e.g. `'ory_at_'`).
   * Issuers without a prefix are tried in the configured order for tokens no prefix claims. Default none.
   */
  tokenPrefix?: string | string[];
  /** Timeout of one introspection call, in seconds; a timeout is a 401, never a 5xx. Default 3. */
  timeout?: number;
  /** Result cache (keyed by token hash, never by the token). */
  cache?: IntrospectionCacheOptions;
  /**
   * Require the response's `aud` to name one of the issuer's audiences. `false` trusts the server to
   * answer `active` only for tokens meant for this API (say so only when it does). Default `true`.
   */
  requireAudience?: boolean;
}
