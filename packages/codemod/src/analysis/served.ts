import type { AppConfig } from './app-config.js';
import { NEUTRAL, type RouteInfo } from './controllers.js';
import { joinPath } from './literals.js';
import { compilePattern, coverage } from './path-pattern.js';
import { methodCovers } from './request-method.js';

/** One path a route is served at, as Nest builds it (`RoutePathFactory`). */
export interface ServedPath {
  /** Global prefix (unless excluded), URI version, `RouterModule` path, controller path, method path. */
  path: string;
  /** Module + controller + method path: what middleware patterns and prefix exclusions are matched against. */
  declared: string;
  /** The version of this row (`NEUTRAL` for `VERSION_NEUTRAL`); undefined when versioning is off or the route has none. */
  version?: string;
  host?: string;
}

/** Whether `setGlobalPrefix`'s `exclude` takes the route out of the prefix (Nest's `isRouteExcluded`). */
export function excludedFromPrefix(app: AppConfig, declared: string, method: string): boolean {
  return app.prefixExclude.some((ex) => {
    if (methodCovers(ex.method, method) === 'none') return false;
    const pattern = compilePattern(ex.path, { end: true, sensitive: false });
    return pattern !== undefined && pattern.regex.test(declared);
  });
}

/**
 * Every path a route is served at: one per `RouterModule` path, controller path, method path, version and host.
 * A method `@Version` replaces the controller's; without either, versioning's `defaultVersion` applies;
 * `VERSION_NEUTRAL` adds no version segment.
 */
export function servedPaths(route: RouteInfo, app: AppConfig, modulePaths: string[] = ['']): ServedPath[] {
  const v = app.versioning;
  const versions: Array<string | undefined> = (v && (route.versions ?? v.defaultVersion)) || [undefined];
  const hosts: Array<string | undefined> = route.controller.hosts?.length ? route.controller.hosts : [undefined];
  const out: ServedPath[] = [];
  for (const mod of modulePaths) {
    for (const cp of route.controller.paths) {
      for (const mp of route.paths) {
        const declared = joinPath(mod, cp, mp);
        const prefix = app.globalPrefix && !excludedFromPrefix(app, declared, route.httpMethod) ? app.globalPrefix : undefined;
        for (const version of versions) {
          const segment = v?.type === 'uri' && version !== undefined && version !== NEUTRAL ? `${v.prefix}${version}` : undefined;
          for (const host of hosts) out.push({ path: joinPath(prefix, segment, declared), declared, version, host });
        }
      }
    }
  }
  return out;
}

/** A served path for tables: `/api/v1/orders`, `/api/orders (version 2)` for header versioning, `(host …)`. */
export function servedText(s: ServedPath, app: AppConfig): string {
  const version = s.version !== undefined && app.versioning && app.versioning.type !== 'uri'
    ? ` (${s.version === NEUTRAL ? 'any version' : `version ${s.version}`})`
    : '';
  return `${s.path}${version}${s.host ? ` (host ${s.host})` : ''}`;
}

/** Whether a declared path matches a middleware or exclusion pattern for all, some or none of its requests. */
export function matchDeclared(pattern: string, declared: string, options: { end: boolean; sensitive: boolean }): 'all' | 'some' | 'none' | 'invalid' {
  const compiled = compilePattern(pattern, options);
  return compiled ? coverage(compiled, declared) : 'invalid';
}
