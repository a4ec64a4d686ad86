/**
 * One trusted token issuer. Keys come from exactly one of `jwksUri`, `discovery` or `keys`/`secret`.
 *
 * @example
 * ```ts
 * { issuer: 'https://id.example.com', audience: 'orders-api', jwksUri: 'https://id.example.com/jwks' }
 * ```
 */
export interface JwtIssuerOptions {
  /** Expected `iss`, compared exactly. Required. */
  issuer: string;
  /** Accepted `aud` value(s); a token must name at least one. Required. */
  audience: string | string[];
  /** JWKS URL (HTTPS; `http:` only on loopback or with `allowInsecureHttp`). */
  jwksUri?: string;
}

/** `jwt` option: one issuer or several, each with its own keys and audiences. */
export type JwtOptions = JwtIssuerOptions | JwtIssuerOptions[];
