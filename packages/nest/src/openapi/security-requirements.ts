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
 * The OpenAPI `security` of one route from the schemes of the credentials it accepts (all configured
 * ones when no boundary applies). A credential type without a scheme contributes nothing.
 *
 * @example
 * ```ts
 * securityFor({ public: false, accepts: 'any', scopes: ['orders:read'], anyScopes: [] }, { jwt: [oidc] }).security
 * // [{ oidc: ['orders:read'] }]
 * ```
 */
export function securityFor(route: Pick<RouteSecurity, 'public' | 'accepts' | 'scopes' | 'anyScopes'>, schemes: SchemesByCredential): OperationSecurity {
  if (route.public) return { security: [], schemes: [], scopesInExtension: false };
  const credentials = route.accepts === 'any' ? (Object.keys(schemes) as CredentialType[]) : route.accepts;
  const used = new Map<string, OpenApiScheme>();
  for (const credential of credentials) for (const scheme of schemes[credential] ?? []) if (!used.has(scheme.name)) used.set(scheme.name, scheme);
  const security: SecurityRequirement[] = [];
  for (const scheme of used.values()) {
    if (scheme.scoped) for (const scopes of scopeAlternatives(route)) security.push({ [scheme.name]: scopes });
    else security.push({ [scheme.name]: [] });
  }
  const hasScopes = route.scopes.length > 0 || route.anyScopes.length > 0;
  return { security, schemes: [...used.values()], scopesInExtension: hasScopes && [...used.values()].some((s) => !s.scoped) };
}
