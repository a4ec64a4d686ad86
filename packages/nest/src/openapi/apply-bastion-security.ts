import type { INestApplication } from '@nestjs/common';
import { AuthenticatorRegistry } from '../authentication/authenticator-registry.js';
import { toOpenApiPath } from '../authorization/route-path.js';
import { RouteSecurityMap } from '../authorization/route-security-map.service.js';
import type { RouteSecurity } from '../authorization/route-security.js';
import type { Authenticator } from '../core/authenticator.js';
import { securityFor, type NamedSecurityScheme, type SecurityRequirement, type SecuritySchemeLike } from './security-requirements.js';

/** The parts of an OpenAPI document Bastion reads and writes (compatible with `@nestjs/swagger`'s). */
export interface OpenApiDocumentLike {
  paths: Record<string, object>;
  components?: { securitySchemes?: Record<string, unknown> };
}

/** Options of {@link applyBastionSecurity}. */
export interface BastionOpenApiOptions {
  /**
   * The credentials to describe when `source` is a list of routes rather than the app (with the app,
   * its configured authenticators are used). Default: none.
   */
  authenticators?: ReadonlyArray<Pick<Authenticator, 'credential' | 'securityScheme'>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function sourceOf(
  source: INestApplication | readonly RouteSecurity[],
  options: BastionOpenApiOptions,
): { routes: readonly RouteSecurity[]; authenticators: ReadonlyArray<Pick<Authenticator, 'credential' | 'securityScheme'>> } {
  if (Array.isArray(source)) return { routes: source, authenticators: options.authenticators ?? [] };
  const app = source as INestApplication;
  return { routes: app.get(RouteSecurityMap, { strict: false }).routes(), authenticators: app.get(AuthenticatorRegistry, { strict: false }).all() };
}

/**
 * Writes each operation's `security` requirement (and an `x-bastion` summary of boundary, roles,
 * policies and credentials OpenAPI cannot describe) from the route security map, and the security
 * schemes they use, into an OpenAPI document — so the document states what Bastion enforces without
 * swagger decorators on every route. Only credentials that have an authenticator are declared. Works on
 * any document object; `@nestjs/swagger` is not needed to call it.
 *
 * @example
 * ```ts
 * const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('Orders').build());
 * applyBastionSecurity(document, app);
 * SwaggerModule.setup('docs', app, document);
 * ```
 */
export function applyBastionSecurity<T extends OpenApiDocumentLike>(document: T, source: INestApplication | readonly RouteSecurity[], options: BastionOpenApiOptions = {}): T {
  const { routes, authenticators } = sourceOf(source, options);
  const schemes = new Map<string, NamedSecurityScheme | undefined>(authenticators.map((a) => [a.credential, a.securityScheme]));
  const used = new Map<string, SecuritySchemeLike>();
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
      const security: SecurityRequirement[] = securityFor(route, schemes);
      operation.security = security;
      const accepted = route.public ? [] : route.accepts === 'any' ? [...schemes.keys()] : route.accepts;
      for (const credential of accepted) {
        const scheme = schemes.get(credential);
        if (scheme) used.set(scheme.name, scheme.scheme);
      }
      const undescribed = accepted.filter((c) => schemes.get(c) === undefined);
      const extension = {
        ...(route.boundary ? { boundary: route.boundary } : {}),
        ...(route.roles.length > 0 ? { roles: route.roles } : {}),
        ...(route.policies.length > 0 ? { policies: route.policies } : {}),
        ...(undescribed.length > 0 ? { credentials: undescribed } : {}),
      };
      if (Object.keys(extension).length > 0) operation['x-bastion'] = extension;
    }
  }
  document.components = { ...document.components, securitySchemes: { ...document.components?.securitySchemes, ...Object.fromEntries(used) } };
  return document;
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
export async function createBastionDocument(app: INestApplication, info: { title?: string; version?: string } = {}): Promise<OpenApiDocumentLike> {
  let swagger: typeof import('@nestjs/swagger');
  try {
    swagger = await import('@nestjs/swagger');
  } catch {
    throw new Error('createBastionDocument needs @nestjs/swagger: npm install @nestjs/swagger');
  }
  const config = new swagger.DocumentBuilder().setTitle(info.title ?? 'API').setVersion(info.version ?? '1.0').build();
  const document = swagger.SwaggerModule.createDocument(app, config) as unknown as OpenApiDocumentLike;
  return applyBastionSecurity(document, app);
}
