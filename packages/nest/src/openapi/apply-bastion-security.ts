import type { INestApplication } from '@nestjs/common';
import { ISSUER_CONFIGS } from '../authentication/issuers/bearer.providers.js';
import type { IssuerConfig } from '../authentication/jwt/jwt-config.js';
import { toOpenApiPath } from '../authorization/route-path.js';
import { RouteSecurityMap } from '../authorization/route-security-map.service.js';
import type { RouteSecurity } from '../authorization/route-security.js';
import { AUTHENTICATORS, type Authenticator } from '../core/authenticator.js';
import { issuerSchemes, type IssuerDocumentOptions } from './issuer-schemes.js';
import { securityFor, type DescribesOpenApi, type OpenApiScheme, type SchemesByCredential, type SecuritySchemeLike } from './security-requirements.js';

/** The parts of an OpenAPI document Bastion reads and writes (compatible with `@nestjs/swagger`'s). */
export interface OpenApiDocumentLike {
  openapi?: string;
  paths: Record<string, object>;
  components?: { securitySchemes?: Record<string, unknown> };
}

/** Options of {@link applyBastionSecurity}. */
export interface BastionOpenApiOptions {
  /**
   * Per trusted issuer (keyed by its `issuer` URL): an `oauth2` scheme with token/authorization URLs
   * instead of the default (`openIdConnect` with discovery, else plain bearer), and the scheme name.
   */
  issuers?: Record<string, IssuerDocumentOptions>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

interface Source {
  routes: readonly RouteSecurity[];
  schemes: SchemesByCredential;
}

function appOf(source: INestApplication | RouteSecurityMap | readonly RouteSecurity[]): INestApplication | undefined {
  return Array.isArray(source) || source instanceof RouteSecurityMap ? undefined : (source as INestApplication);
}

/** The schemes of the credentials the app really has: bearer ones per issuer, others from their authenticator. */
function schemesOf(app: INestApplication | undefined, options: BastionOpenApiOptions): SchemesByCredential {
  if (!app) return {};
  const authenticators = app.get<Authenticator[]>(AUTHENTICATORS, { strict: false }) ?? [];
  const configs = app.get<IssuerConfig[]>(ISSUER_CONFIGS, { strict: false }) ?? [];
  const byIssuer = issuerSchemes(configs, options.issuers);
  const schemes: SchemesByCredential = {};
  for (const authenticator of authenticators) {
    const c = authenticator.credential;
    if (c === 'jwt') schemes.jwt = configs.filter((i) => i.source !== undefined).map((i) => byIssuer.get(i.issuer)!);
    else if (c === 'introspection') schemes.introspection = configs.filter((i) => i.introspection !== undefined).map((i) => byIssuer.get(i.issuer)!);
    else if (typeof (authenticator as Partial<DescribesOpenApi>).openApiSchemes === 'function') schemes[c] = (authenticator as unknown as DescribesOpenApi).openApiSchemes();
  }
  return schemes;
}

function sourceOf(source: INestApplication | RouteSecurityMap | readonly RouteSecurity[], options: BastionOpenApiOptions): Source {
  const app = appOf(source);
  const routes = Array.isArray(source) ? source : source instanceof RouteSecurityMap ? source.routes() : app!.get(RouteSecurityMap, { strict: false }).routes();
  return { routes, schemes: schemesOf(app, options) };
}

/**
 * Writes each operation's `security` requirement (and an `x-bastion` summary of boundary, roles,
 * policies, and scopes where the scheme cannot carry them) from the route security map, and the
 * security schemes they use, into an OpenAPI document — so the document states what Bastion enforces
 * without swagger decorators on every route. Only credentials the app has are declared: one
 * `openIdConnect` scheme per issuer with discovery, an `oauth2` scheme where a token URL is configured
 * (with the scopes the routes use), plain bearer otherwise (empty scope lists, as OpenAPI requires).
 * Works on any document object; `@nestjs/swagger` is not needed to call it.
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
  const { routes, schemes } = sourceOf(source, options);
  const used = new Map<string, OpenApiScheme>();
  const scopesOf = new Map<string, Set<string>>();
  const byKey = new Map<string, RouteSecurity>();
  for (const route of routes) {
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
      // A protected route none of whose credentials is configured gets no requirement that would look satisfiable.
      if (route.public || result.security.length > 0) operation.security = result.security;
      const extension = {
        ...(route.boundary ? { boundary: route.boundary } : {}),
        ...(!route.public && result.security.length === 0 ? { accepts: route.accepts === 'any' ? [] : route.accepts, unsatisfiable: true } : {}),
        ...(result.scopesInExtension && route.scopes.length > 0 ? { scopes: route.scopes } : {}),
        ...(result.scopesInExtension && route.anyScopes.length > 0 ? { anyScopes: route.anyScopes } : {}),
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
