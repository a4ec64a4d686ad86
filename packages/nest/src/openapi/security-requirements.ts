import type { CredentialWay } from '../authentication/credential-combinations.js';
import type { CredentialType } from '../core/principal.js';
import type { RouteSecurity } from '../authorization/route-security.js';
import type { IssuerDocumentOptions } from './issuer-schemes.js';

/** An OpenAPI security scheme object (the fields Bastion emits). */
export interface SecuritySchemeLike {
  type: 'http' | 'apiKey' | 'mutualTLS' | 'oauth2' | 'openIdConnect';
  scheme?: string;
  bearerFormat?: string;
  in?: 'header' | 'query' | 'cookie';
  name?: string;
  description?: string;
  openIdConnectUrl?: string;
  flows?: Record<string, { authorizationUrl?: string; tokenUrl?: string; refreshUrl?: string; scopes: Record<string, string> }>;
}

/**
 * One security scheme a credential contributes to the document. `scoped` schemes (`oauth2`,
 * `openIdConnect`) carry the route's scopes in the requirement; for any other type OpenAPI requires an
 * empty list, so the scopes go to the operation's `x-bastion` extension instead.
 */
export interface OpenApiScheme {
  /** Key under `components.securitySchemes`. */
  readonly name: string;
  readonly scheme: SecuritySchemeLike;
  readonly scoped: boolean;
}

/** What the document's author chose about schemes (part of `BastionOpenApiOptions`). */
export interface OpenApiSchemeOptions {
  /**
   * Per trusted issuer (keyed by its `issuer` URL): an `oauth2` scheme with token/authorization URLs
   * instead of the default (`openIdConnect` with discovery, else plain bearer), and the scheme name.
   */
  issuers?: Readonly<Record<string, IssuerDocumentOptions>>;
}

/**
 * Implemented by an authenticator that can describe its credential in OpenAPI (bearer tokens, mutual
 * TLS, DPoP, HTTP signatures, API keys, your own): its schemes are declared when a route accepts its
 * credential. An authenticator without it is named in the operation's `x-bastion.credentials`.
 *
 * @example
 * ```ts
 * openApiSchemes() { return [{ name: 'partnerToken', scoped: false, scheme: { type: 'apiKey', in: 'header', name: 'X-Partner-Token' } }]; }
 * ```
 */
export interface DescribesOpenApi {
  openApiSchemes(options?: OpenApiSchemeOptions, document?: OpenApiTarget): readonly OpenApiScheme[];
}

/** The document the schemes are written into: its `openapi` version decides which scheme types exist. */
export interface OpenApiTarget {
  /** The document's `openapi` field (`'3.0.3'`, `'3.1.0'`…); `undefined` when it has none. */
  readonly openapi?: string;
}

/** True when a document of this `openapi` version knows the `mutualTLS` scheme type (OpenAPI 3.1 and later). */
export function supportsMutualTls(version: string | undefined): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version ?? '');
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 3 || (major === 3 && minor >= 1);
}

/**
 * The schemes each configured credential type contributes. A type absent from it has no authenticator;
 * a type with an empty list has one that OpenAPI cannot describe.
 */
export type SchemesByCredential = Partial<Record<CredentialType, readonly OpenApiScheme[]>>;

/** OpenAPI security requirement: scheme name → scopes. */
export type SecurityRequirement = Record<string, string[]>;

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

/** The security of one operation, and what the document must declare for it. */
export interface OperationSecurity {
  /** `[]` when public; one alternative per scheme (and per way to meet the scopes on scoped schemes). */
  readonly security: SecurityRequirement[];
  readonly schemes: readonly OpenApiScheme[];
  /** True when a scheme that cannot carry scopes is used: the scopes must be stated in `x-bastion`. */
  readonly scopesInExtension: boolean;
}

/**
 * The OpenAPI `security` of one route from the schemes of the ways in it accepts (every configured
 * credential alone when no boundary applies). A credential type without a scheme contributes nothing; a
 * combination of credentials presented together is one requirement naming a scheme of each (OpenAPI's
 * "and"), and contributes nothing unless every member has a scheme.
 *
 * @example
 * ```ts
 * securityFor({ public: false, accepts: 'any', scopes: ['orders:read'], anyScopes: [] }, { jwt: [oidc] }).security
 * // [{ oidc: ['orders:read'] }]
 * securityFor({ public: false, accepts: [['api-key', 'signature']], scopes: [], anyScopes: [] }, { 'api-key': [apiKey], signature: [httpSignature] }).security
 * // [{ apiKey: [], httpSignature: [] }]
 * ```
 */
export function securityFor(route: Pick<RouteSecurity, 'public' | 'accepts' | 'scopes' | 'anyScopes'>, schemes: SchemesByCredential): OperationSecurity {
  if (route.public) return { security: [], schemes: [], scopesInExtension: false };
  const ways: readonly CredentialWay[] = route.accepts === 'any' ? (Object.keys(schemes) as CredentialType[]) : route.accepts;
  const used = new Map<string, OpenApiScheme>();
  const requirements = new Map<string, SecurityRequirement>();
  const alternatives = scopeAlternatives(route);
  for (const way of ways) {
    for (const group of schemeGroups(way, schemes)) {
      for (const scheme of group) if (!used.has(scheme.name)) used.set(scheme.name, scheme);
      // Scoped schemes get one requirement per way to meet the scopes; the others an empty list.
      for (const scopes of group.some((s) => s.scoped) ? alternatives : [[]]) {
        const requirement = Object.fromEntries(group.map((s) => [s.name, s.scoped ? scopes : []]));
        requirements.set(JSON.stringify(requirement), requirement);
      }
    }
  }
  const hasScopes = route.scopes.length > 0 || route.anyScopes.length > 0;
  return { security: [...requirements.values()], schemes: [...used.values()], scopesInExtension: hasScopes && [...used.values()].some((s) => !s.scoped) };
}

/** The scheme sets that satisfy one way in: one scheme of its credential, or one of each member of a combination. */
function schemeGroups(way: CredentialWay, schemes: SchemesByCredential): OpenApiScheme[][] {
  if (typeof way === 'string') return (schemes[way] ?? []).map((scheme) => [scheme]);
  let groups: OpenApiScheme[][] = [[]];
  for (const credential of way) groups = groups.flatMap((group) => (schemes[credential] ?? []).map((scheme) => [...group, scheme]));
  return groups;
}
