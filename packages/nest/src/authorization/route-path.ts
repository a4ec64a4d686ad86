/** What a route's full path is built from (mirrors Nest's own route path factory). */
export interface RoutePathParts {
  globalPrefix?: string;
  /** `RouterModule` path of the controller's module. */
  modulePath?: string;
  controllerPaths: readonly string[];
  methodPaths: readonly string[];
  /** URI versions of the route (method overrides controller); `undefined` = unversioned. */
  versions?: readonly (string | symbol)[];
  /** URI version prefix (default `v`); only used with URI versioning. */
  versionPrefix?: string;
}

function join(...parts: (string | undefined)[]): string {
  const joined = parts
    .filter((p): p is string => typeof p === 'string' && p !== '')
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter((p) => p !== '')
    .join('/');
  return `/${joined}`;
}

/**
 * Every path a route is served at: global prefix, URI version, module path, controller path, method
 * path. Framework-free so it can be unit-tested; Nest's global-prefix exclusions are not applied.
 *
 * @example
 * ```ts
 * routePaths({ globalPrefix: 'api', controllerPaths: ['orders'], methodPaths: [':id'], versions: ['1'] }) // ['/api/v1/orders/:id']
 * ```
 */
export function routePaths(parts: RoutePathParts): string[] {
  const versions = parts.versions && parts.versions.length > 0 ? parts.versions : [undefined];
  const controllerPaths = parts.controllerPaths.length > 0 ? parts.controllerPaths : [''];
  const methodPaths = parts.methodPaths.length > 0 ? parts.methodPaths : [''];
  const out: string[] = [];
  for (const version of versions) {
    // VERSION_NEUTRAL is a symbol: served without a version segment.
    const versionSegment = typeof version === 'string' ? `${parts.versionPrefix ?? 'v'}${version}` : undefined;
    for (const c of controllerPaths) {
      for (const m of methodPaths) out.push(join(parts.globalPrefix, versionSegment, parts.modulePath, c, m));
    }
  }
  return [...new Set(out)];
}

/**
 * `/orders/:id` → `/orders/{id}` (OpenAPI path template form); wildcards as `@nestjs/swagger` writes
 * them: `/files/*path` and `/files/{*path}` → `/files/{path}`, a bare trailing `*` → `{path}`.
 */
export function toOpenApiPath(path: string): string {
  return path
    .replace(/:([A-Za-z0-9_]+)(\?)?/g, '{$1}')
    .replace(/\{?\*([A-Za-z0-9_]+)\}?/g, '{$1}')
    .replace(/\/\*$/, '/{path}');
}

/**
 * The template of a route that `request` reached (for events and metrics; never the requested path): its
 * one path, or — for a handler served at several — the one the adapter matched (Express `req.route.path`,
 * Fastify `req.routeOptions.url`) when it is one of them, else the first.
 */
export function routeTemplateOf(route: { readonly paths: readonly string[] }, request: unknown): string | undefined {
  const { paths } = route;
  if (paths.length <= 1) return paths[0];
  const req = request as { route?: { path?: unknown }; routeOptions?: { url?: unknown } } | undefined;
  const matched = req?.route?.path ?? req?.routeOptions?.url;
  return typeof matched === 'string' && paths.includes(matched) ? matched : paths[0];
}
