import type { RouteSecurity } from '../authorization/route-security.js';

/** An OpenAPI security scheme object (the fields Bastion emits). */
export interface SecuritySchemeLike {
  type: 'http' | 'apiKey' | 'mutualTLS' | 'oauth2' | 'openIdConnect';
  scheme?: string;
  bearerFormat?: string;
  in?: 'header' | 'query' | 'cookie';
  name?: string;
  description?: string;
}

/** A named security scheme, as an authenticator describes its credential (`Authenticator.securityScheme`). */
export interface NamedSecurityScheme {
  readonly name: string;
  readonly scheme: SecuritySchemeLike;
}

/** OpenAPI security requirement: scheme name → scopes (or roles, OpenAPI 3.1 §4.8.30). */
export type SecurityRequirement = Record<string, string[]>;

/** The scheme of bearer JWTs (RFC 6750). */
export const BEARER_SCHEME: NamedSecurityScheme = { name: 'bearer', scheme: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } };

const MAX_ALTERNATIVES = 32;

/** Every way to meet the route's scopes: all-of scopes plus one scope of each any-of group. */
export function scopeAlternatives(route: Pick<RouteSecurity, 'scopes' | 'anyScopes'>): string[][] {
  let combos: string[][] = [[...route.scopes]];
  for (const group of route.anyScopes) {
    const next = combos.flatMap((combo) => group.map((s) => [...new Set([...combo, s])]));
    // A huge product helps no reader; past the cap, list each group's scopes once instead.
    combos = next.length > MAX_ALTERNATIVES ? [[...new Set([...route.scopes, ...route.anyScopes.flat()])]] : next;
    if (next.length > MAX_ALTERNATIVES) break;
  }
  return combos;
}

/**
 * The OpenAPI `security` of one route: `[]` when public; otherwise one alternative per accepted
 * credential that has a scheme (`'any'`: every configured credential) and per way to meet the scopes.
 * Credentials without a scheme cannot be described in OpenAPI and are left out here.
 *
 * @example
 * ```ts
 * securityFor({ public: false, accepts: 'any', scopes: ['orders:read'], anyScopes: [] }, new Map([['jwt', BEARER_SCHEME]]))
 * // [{ bearer: ['orders:read'] }]
 * ```
 */
export function securityFor(
  route: Pick<RouteSecurity, 'public' | 'accepts' | 'scopes' | 'anyScopes'>,
  schemes: ReadonlyMap<string, NamedSecurityScheme | undefined>,
): SecurityRequirement[] {
  if (route.public) return [];
  const credentials = route.accepts === 'any' ? [...schemes.keys()] : route.accepts;
  const names = [...new Set(credentials.map((c) => schemes.get(c)?.name).filter((n): n is string => n !== undefined))];
  const out: SecurityRequirement[] = [];
  for (const name of names) for (const scopes of scopeAlternatives(route)) out.push({ [name]: scopes });
  return out;
}
