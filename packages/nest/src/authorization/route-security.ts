import type { CredentialWay } from '../authentication/credential-combinations.js';

/** Throttle settings found on a route (`@nestjs/throttler` metadata), per throttler name. */
export type RouteThrottle = Record<string, { limit?: number; ttl?: number; blockDuration?: number; skip?: boolean }>;

/** One row of the route security map: everything Bastion enforces on one route. */
export interface RouteSecurity {
  /** Controller class name. */
  readonly controller: string;
  /** Handler method name. */
  readonly handler: string;
  /** HTTP method (`GET`, …, `ALL`). */
  readonly method: string;
  /** Full path as served (global prefix, URI version, module and controller paths); first of `paths`. */
  readonly path: string;
  readonly paths: readonly string[];
  /** Effective trust boundary name (route's own or the default), if any. */
  readonly boundary: string | undefined;
  /** Ways in the route accepts (a type alone, or types presented together); `'any'` when no boundary applies. */
  readonly accepts: readonly CredentialWay[] | 'any';
  readonly public: boolean;
  /** Public only because it predates Bastion and is awaiting review (`@Public({ baseline: true })`). */
  readonly baseline: boolean;
  readonly authenticated: boolean;
  readonly scopes: readonly string[];
  readonly anyScopes: readonly (readonly string[])[];
  readonly roles: readonly (readonly string[])[];
  /** Policy class names. */
  readonly policies: readonly string[];
  /** True when the route states no access decision (only possible with `strict: false`). */
  readonly undecided: boolean;
  readonly throttle: RouteThrottle | undefined;
}

/** `Controller.method (GET /path)`: how boot errors and warnings name a route. */
export function describeRoute(route: Pick<RouteSecurity, 'controller' | 'handler' | 'method' | 'path'>): string {
  return `${route.controller}.${route.handler} (${route.method} ${route.path})`;
}

const THROTTLE_PREFIX = 'THROTTLER:';
const THROTTLE_FIELDS = { LIMIT: 'limit', TTL: 'ttl', BLOCK_DURATION: 'blockDuration', SKIP: 'skip' } as const;

/**
 * Reads `@Throttle()`/`@SkipThrottle()` metadata (`THROTTLER:<FIELD><name>` keys) from a handler and
 * its class, method first. Read by key prefix, so `@nestjs/throttler` need not be installed.
 */
export function readThrottle(handler: object, controller: object): RouteThrottle | undefined {
  const out: RouteThrottle = {};
  for (const target of [controller, handler]) {
    for (const key of Reflect.getOwnMetadataKeys(target)) {
      if (typeof key !== 'string' || !key.startsWith(THROTTLE_PREFIX)) continue;
      const rest = key.slice(THROTTLE_PREFIX.length);
      for (const [field, prop] of Object.entries(THROTTLE_FIELDS)) {
        if (!rest.startsWith(field)) continue;
        const name = rest.slice(field.length) || 'default';
        const value: unknown = Reflect.getOwnMetadata(key, target);
        if (typeof value === 'number' || typeof value === 'boolean') (out[name] ??= {})[prop] = value as never;
      }
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
