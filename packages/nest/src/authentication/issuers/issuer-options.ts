import type { IntrospectionOptions } from '../introspection/introspection-options.js';
import type { JwtIssuerOptions } from '../jwt/jwt-options.js';

/**
 * One entry of the trust list (`issuers`): an authorization server whose access tokens this API
 * accepts, as JWTs (verified locally with `jwksUri`, `discovery`, `keys` or `secret`), as opaque tokens
 * (checked with `introspection`), or both. A JWT's `iss` selects its issuer; an opaque token goes to the
 * issuer whose `introspection.tokenPrefix` it starts with, else to the issuers without a prefix in order.
 *
 * @example
 * ```ts
 * issuers: [
 *   { issuer: 'https://id.example.com/realms/shop', audience: 'orders-api', discovery: true },
 *   { issuer: 'https://auth.partner.example', audience: 'orders-api', discovery: true,
 *     introspection: { clientId: 'orders-api', clientSecret: process.env.PARTNER_SECRET } },
 * ]
 * ```
 */
export interface IssuerOptions extends JwtIssuerOptions {
  /** RFC 7662 introspection of this issuer's opaque tokens. With it, a JWT key source is optional. */
  introspection?: IntrospectionOptions;
}
