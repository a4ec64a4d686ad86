import type { INestApplication } from '@nestjs/common';
import { AuthenticatorRegistry } from '../authentication/authenticator-registry.js';
import { credentialTypesOf } from '../authorization/boundaries.js';
import { toOpenApiPath } from '../authorization/route-path.js';
import { RouteSecurityMap } from '../authorization/route-security-map.service.js';
import type { RouteSecurity } from '../authorization/route-security.js';
import type { Authenticator } from '../core/authenticator.js';
import type { CredentialType } from '../core/principal.js';
import { securityFor, type OpenApiScheme, type OpenApiSchemeOptions, type OpenApiTarget, type SchemesByCredential, type SecuritySchemeLike } from './security-requirements.js';

/** The parts of an OpenAPI document Bastion reads and writes (compatible with `@nestjs/swagger`'s). */
export interface OpenApiDocumentLike {
  openapi?: string;
  paths: Record<string, object>;
  components?: { securitySchemes?: Record<string, unknown> };
}

/** Options of {@link applyBastionSecurity}. */
export interface BastionOpenApiOptions extends OpenApiSchemeOptions {
  /**
   * The credentials to describe when `source` is a route map or a list of routes rather than the app
   * (with the app, its configured authenticators are used). Default: none.
   */
  authenticators?: ReadonlyArray<Pick<Authenticator, 'credential' | 'openApiSchemes'>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

interface Source {
  routes: readonly RouteSecurity[];
  authenticators: ReadonlyArray<Pick<Authenticator, 'credential' | 'openApiSchemes'>>;
}

function sourceOf(source: INestApplication | RouteSecurityMap | readonly RouteSecurity[], options: BastionOpenApiOptions): Source {
  if (Array.isArray(source)) return { routes: source, authenticators: options.authenticators ?? [] };
  if (source instanceof RouteSecurityMap) return { routes: source.routes(), authenticators: options.authenticators ?? [] };
  const app = source as INestApplication;
  return { routes: app.get(RouteSecurityMap, { strict: false }).routes(), authenticators: app.get(AuthenticatorRegistry, { strict: false }).all() };
}

/**
 * The schemes of the credentials that exist, each from its authenticator's `openApiSchemes()` hook (the
 * bearer ones: one per issuer); an authenticator without the hook contributes an empty list.
 */
function schemesOf(authenticators: Source['authenticators'], options: OpenApiSchemeOptions, document: OpenApiTarget): SchemesByCredential {
  const schemes: SchemesByCredential = {};
  for (const authenticator of authenticators) schemes[authenticator.credential] = authenticator.openApiSchemes?.(options, document) ?? [];
  return schemes;
}

/**
 * Writes each operation's `security` requirement (and an `x-bastion` summary of boundary, roles,
 * policies, credentials OpenAPI cannot describe, and scopes where the scheme cannot carry them) from the
 * route security map, and the security schemes they use, into an OpenAPI document — so the document
 * states what Bastion enforces without swagger decorators on every route. Only credentials that have an
 * authenticator are declared: one `openIdConnect` scheme per issuer with discovery, an `oauth2` scheme
 * where a token URL is configured (with the scopes the routes use), plain bearer otherwise (empty scope
 * lists, as OpenAPI requires), and whatever custom authenticators describe. Works on any document
 * object; `@nestjs/swagger` is not needed to call it.
 *
 * @example
 * ```ts
 * const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('Orders').build());
 * applyBastionSecurity(document, app, { issuers: { 'https://id.example.com': { tokenUrl: 'https://id.example.com/token' } } });
 * SwaggerModule.setup('docs', app, document);
 * ```
 */
export function applyBastionSecurity<T extends OpenApiDocumentLike>(
  document: T,
  source: INestApplication | RouteSecurityMap | readonly RouteSecurity[],
  options: BastionOpenApiOptions = {},
): T {
  const { routes, authenticators } = sourceOf(source, options);
  const schemes = schemesOf(authenticators, options, { openapi: document.openapi });
  const used = new Map<string, OpenApiScheme>();
  const scopesOf = new Map<string, Set<string>>();
  const byKey = new Map<string, RouteSecurity>();
  for (const route of routes) {
    // Resolvers, gateway and microservice handlers have no OpenAPI operation (see docs/transports.md).
    if (route.transport !== 'http') continue;
    for (const path of route.paths) {
      const methods = route.method === 'ALL' ? METHODS : [route.method.toLowerCase()];
      for (const method of methods) byKey.set(`${method} ${toOpenApiPath(path)}`, route);
    }
  }
  for (const [path, item] of Object.entries(document.paths ?? {}) as [string, Record<string, unknown>][]) {
    for (const method of METHODS) {
      const operation = item[method] as Record<string, unknown> | undefined;
      const route = byKey.get(`${method} ${path}`);
      if (!operation || !route) continue;
      const result = securityFor(route, schemes);
      for (const scheme of result.schemes) {
        used.set(scheme.name, scheme);
        const scopes = scopesOf.get(scheme.name) ?? new Set<string>();
        for (const s of [...route.scopes, ...route.anyScopes.flat()]) scopes.add(s);
        scopesOf.set(scheme.name, scopes);
      }
      const accepted = route.public ? [] : route.accepts === 'any' ? (Object.keys(schemes) as CredentialType[]) : credentialTypesOf(route.accepts);
      // Credentials with an authenticator OpenAPI cannot describe: named, never turned into a made-up scheme.
      const undescribed = accepted.filter((c) => schemes[c]?.length === 0);
      const unsatisfiable = !route.public && result.security.length === 0 && undescribed.length === 0;
      // A protected route none of whose credentials is described gets no requirement (not even one written
      // before) that would look satisfiable, or — as `[]` — would say it needs none.
      if (route.public || result.security.length > 0) operation.security = result.security;
      else delete operation.security;
      const scopesInExtension = result.scopesInExtension || (result.security.length === 0 && undescribed.length > 0);
      const extension = {
        ...(route.boundary ? { boundary: route.boundary } : {}),
        ...(unsatisfiable ? { accepts: route.accepts === 'any' ? [] : route.accepts, unsatisfiable: true } : {}),
        ...(undescribed.length > 0 ? { credentials: undescribed } : {}),
        ...(scopesInExtension && route.scopes.length > 0 ? { scopes: route.scopes } : {}),
        ...(scopesInExtension && route.anyScopes.length > 0 ? { anyScopes: route.anyScopes } : {}),
        ...(route.roles.length > 0 ? { roles: route.roles } : {}),
        ...(route.policies.length > 0 ? { policies: route.policies } : {}),
      };
      if (Object.keys(extension).length > 0) operation['x-bastion'] = extension;
    }
  }
  const securitySchemes: Record<string, SecuritySchemeLike> = {};
  for (const [name, { scheme }] of used) securitySchemes[name] = withScopes(scheme, scopesOf.get(name) ?? new Set());
  document.components = { ...document.components, securitySchemes: { ...document.components?.securitySchemes, ...securitySchemes } };
  return document;
}

/** OpenAPI §4.8.29: an oauth2 flow lists every scope a requirement may name. */
function withScopes(scheme: SecuritySchemeLike, scopes: ReadonlySet<string>): SecuritySchemeLike {
  if (!scheme.flows) return scheme;
  const map = Object.fromEntries([...scopes].sort().map((s) => [s, `Scope ${s}`]));
  return { ...scheme, flows: Object.fromEntries(Object.entries(scheme.flows).map(([k, flow]) => [k, { ...flow, scopes: map }])) };
}

/**
 * Builds the app's OpenAPI document with `@nestjs/swagger` (loaded only when called; an optional
 * peer) and applies Bastion's security requirements to it.
 *
 * @example
 * ```ts
 * const document = await createBastionDocument(app, { title: 'Orders API', version: '1.0' });
 * ```
 */
export async function createBastionDocument(
  app: INestApplication,
  info: { title?: string; version?: string } = {},
  options: BastionOpenApiOptions = {},
): Promise<OpenApiDocumentLike> {
  let swagger: typeof import('@nestjs/swagger');
  try {
    swagger = await import('@nestjs/swagger');
  } catch {
    throw new Error('createBastionDocument needs @nestjs/swagger: npm install @nestjs/swagger');
  }
  const config = new swagger.DocumentBuilder().setTitle(info.title ?? 'API').setVersion(info.version ?? '1.0').build();
  const document = swagger.SwaggerModule.createDocument(app, config) as unknown as OpenApiDocumentLike;
  return applyBastionSecurity(document, app, options);
}
