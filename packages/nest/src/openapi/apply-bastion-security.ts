import type { INestApplication } from '@nestjs/common';
import { BASTION_OPTIONS } from '../core/constants.js';
import type { CredentialType } from '../core/principal.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import { credentialTypesOf } from '../authorization/boundaries.js';
import { toOpenApiPath } from '../authorization/route-path.js';
import { RouteSecurityMap } from '../authorization/route-security-map.service.js';
import type { RouteSecurity } from '../authorization/route-security.js';
import { defaultSchemes, securityFor, type SecurityRequirement, type SecuritySchemeLike } from './security-requirements.js';

/** The parts of an OpenAPI document Bastion reads and writes (compatible with `@nestjs/swagger`'s). */
export interface OpenApiDocumentLike {
  paths: Record<string, object>;
  components?: { securitySchemes?: Record<string, unknown> };
}

/** Options of {@link applyBastionSecurity}. */
export interface BastionOpenApiOptions {
  /** Header named by the API-key scheme. Default: `apiKey.header` of the app's options, else `'X-Api-Key'`. */
  apiKeyHeader?: string;
  /**
   * Credential types accepted on routes without a boundary. Default: the configured ones (`jwt`,
   * `signature`, `apiKey` options) when an app is given, else `['jwt']`.
   */
  credentials?: CredentialType[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function appOptions(source: INestApplication | RouteSecurityMap | readonly RouteSecurity[]): BastionOptions | undefined {
  if (Array.isArray(source) || source instanceof RouteSecurityMap) return undefined;
  try {
    return (source as INestApplication).get<BastionOptions>(BASTION_OPTIONS, { strict: false });
  } catch {
    return undefined;
  }
}

/** The credential types an app has configured (what a route without a boundary accepts). */
function configuredCredentials(options: BastionOptions): CredentialType[] {
  const out: CredentialType[] = [];
  if (options.jwt !== undefined) out.push('jwt');
  if (options.signature !== undefined) out.push('signature');
  if (options.apiKey !== undefined) out.push('api-key');
  return out.length > 0 ? out : ['jwt'];
}

function routesOf(source: INestApplication | RouteSecurityMap | readonly RouteSecurity[]): readonly RouteSecurity[] {
  if (Array.isArray(source)) return source;
  if (source instanceof RouteSecurityMap) return source.routes();
  return (source as INestApplication).get(RouteSecurityMap, { strict: false }).routes();
}

/**
 * Writes each operation's `security` requirement (and an `x-bastion` summary of boundary, roles and
 * policies) from the route security map, and the security schemes they use, into an OpenAPI document
 * — so the document states what Bastion enforces without swagger decorators on every route.
 * Works on any document object; `@nestjs/swagger` is not needed to call it.
 *
 * @example
 * ```ts
 * const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('Orders').build());
 * applyBastionSecurity(document, app);
 * SwaggerModule.setup('docs', app, document);
 * ```
 */
export function applyBastionSecurity<T extends OpenApiDocumentLike>(
  document: T,
  source: INestApplication | RouteSecurityMap | readonly RouteSecurity[],
  options: BastionOpenApiOptions = {},
): T {
  const bastion = appOptions(source);
  const schemes = defaultSchemes(options.apiKeyHeader ?? bastion?.apiKey?.header);
  const anyCredentials = options.credentials ?? (bastion ? configuredCredentials(bastion) : ['jwt']);
  const used = new Set<CredentialType>();
  const byKey = new Map<string, RouteSecurity>();
  for (const route of routesOf(source)) {
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
      const security: SecurityRequirement[] = securityFor(route, schemes, anyCredentials);
      operation.security = security;
      if (!route.public) for (const c of route.accepts === 'any' ? anyCredentials : credentialTypesOf(route.accepts)) used.add(c);
      const extension = {
        ...(route.boundary ? { boundary: route.boundary } : {}),
        ...(route.roles.length > 0 ? { roles: route.roles } : {}),
        ...(route.policies.length > 0 ? { policies: route.policies } : {}),
      };
      if (Object.keys(extension).length > 0) operation['x-bastion'] = extension;
    }
  }
  const securitySchemes: Record<string, SecuritySchemeLike> = {};
  for (const credential of used) securitySchemes[schemes[credential].name] = schemes[credential].scheme;
  document.components = { ...document.components, securitySchemes: { ...document.components?.securitySchemes, ...securitySchemes } };
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
