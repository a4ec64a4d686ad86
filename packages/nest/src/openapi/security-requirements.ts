import type { CredentialWay } from '../authentication/credential-combinations.js';
import type { CredentialType } from '../core/principal.js';
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

/** OpenAPI security requirement: scheme name → scopes (or roles, OpenAPI 3.1 §4.8.30). */
export type SecurityRequirement = Record<string, string[]>;

/** Scheme name and definition per credential type; bearer JWTs and opaque tokens share one. */
export function defaultSchemes(apiKeyHeader = 'X-Api-Key'): Record<CredentialType, { name: string; scheme: SecuritySchemeLike }> {
  const bearer = { name: 'bearer', scheme: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } as SecuritySchemeLike };
  return {
    jwt: bearer,
    introspection: bearer,
    'api-key': { name: 'apiKey', scheme: { type: 'apiKey', in: 'header', name: apiKeyHeader, description: `Bastion API key (bst_…), in ${apiKeyHeader} or as Authorization: ApiKey <key>` } },
    // RFC 9421 has no OpenAPI scheme type; describe it as the header it travels in.
    signature: { name: 'httpSignature', scheme: { type: 'apiKey', in: 'header', name: 'Signature', description: 'HTTP Message Signatures (RFC 9421) with Signature-Input and Content-Digest' } },
    mtls: { name: 'mutualTLS', scheme: { type: 'mutualTLS', description: 'Client certificate (mutual TLS)' } },
  };
}

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
 * The OpenAPI `security` of one route: `[]` when public; otherwise one alternative per way in (a
 * combination of credentials is one requirement naming every scheme, OpenAPI's "and") and per way to
 * meet the scopes. Without a boundary the ways in are `anyCredentials` (default bearer JWTs).
 *
 * @example
 * ```ts
 * securityFor({ public: false, accepts: 'any', scopes: ['orders:read'], anyScopes: [] }, defaultSchemes())
 * // [{ bearer: ['orders:read'] }]
 * ```
 */
export function securityFor(
  route: Pick<RouteSecurity, 'public' | 'accepts' | 'scopes' | 'anyScopes'>,
  schemes: Record<CredentialType, { name: string; scheme: SecuritySchemeLike }>,
  anyCredentials: readonly CredentialType[] = ['jwt'],
): SecurityRequirement[] {
  if (route.public) return [];
  const ways: readonly CredentialWay[] = route.accepts === 'any' ? anyCredentials : route.accepts;
  const groups = new Map<string, string[]>();
  for (const way of ways) {
    const names = [...new Set((typeof way === 'string' ? [way] : way).map((c) => schemes[c].name))];
    groups.set(names.join(' '), names);
  }
  const out: SecurityRequirement[] = [];
  for (const names of groups.values()) {
    for (const scopes of scopeAlternatives(route)) out.push(Object.fromEntries(names.map((name) => [name, scopes])));
  }
  return out;
}
