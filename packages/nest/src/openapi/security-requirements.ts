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
export function defaultSchemes(apiKeyHeader = 'X-API-Key'): Record<CredentialType, { name: string; scheme: SecuritySchemeLike }> {
  const bearer = { name: 'bearer', scheme: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } as SecuritySchemeLike };
  return {
    jwt: bearer,
    introspection: bearer,
    'api-key': { name: 'apiKey', scheme: { type: 'apiKey', in: 'header', name: apiKeyHeader } },
    // RFC 9421 has no OpenAPI scheme type; describe it as the header it travels in.
    signature: { name: 'httpSignature', scheme: { type: 'apiKey', in: 'header', name: 'Signature', description: 'HTTP Message Signatures (RFC 9421) with Signature-Input and Content-Digest' } },
    mtls: { name: 'mutualTLS', scheme: { type: 'mutualTLS', description: 'Client certificate (mutual TLS)' } },
    // RFC 9449 §7.1: the DPoP authentication scheme, with the proof in the `DPoP` header.
    dpop: { name: 'dpop', scheme: { type: 'http', scheme: 'DPoP', description: 'DPoP-bound access token (RFC 9449) with a DPoP proof in the DPoP header' } },
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
 * The OpenAPI `security` of one route: `[]` when public; otherwise one alternative per accepted
 * credential scheme (bearer when no boundary applies) and per way to meet the scopes.
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
): SecurityRequirement[] {
  if (route.public) return [];
  const credentials: CredentialType[] = route.accepts === 'any' ? ['jwt'] : [...route.accepts];
  const names = [...new Set(credentials.map((c) => schemes[c].name))];
  const out: SecurityRequirement[] = [];
  for (const name of names) for (const scopes of scopeAlternatives(route)) out.push({ [name]: scopes });
  return out;
}
