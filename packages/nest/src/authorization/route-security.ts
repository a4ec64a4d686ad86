import type { Transport } from '../core/request-context.js';
import type { CredentialWay } from '../authentication/credential-combinations.js';
import { throttleDecorators, throttlerNamesOn } from '../nest-internals.js';

/** Throttle settings found on a route (`@nestjs/throttler` metadata), per throttler name. */
export type RouteThrottle = Record<string, { limit?: number; ttl?: number; blockDuration?: number; skip?: boolean }>;

/** One row of the route security map: everything Bastion enforces on one route. */
export interface RouteSecurity {
  /** Where the handler is reached: an HTTP route, a GraphQL field, a WebSocket message or a microservice message. */
  readonly transport: Transport;
  /** Controller, resolver or gateway class name. */
  readonly controller: string;
  /** Handler method name. */
  readonly handler: string;
  /**
   * HTTP method (`GET`, …, `ALL`); `QUERY`, `MUTATION`, `SUBSCRIPTION` or `FIELD` for GraphQL;
   * `MESSAGE` for WebSocket and microservice messages, `EVENT` for microservice events.
   */
  readonly method: string;
  /**
   * Full path as served (global prefix, URI version, module and controller paths); first of `paths`.
   * GraphQL: `Type.field` (`Query.orders`); WebSocket: the message name; microservices: the pattern.
   */
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

/**
 * Reads `@Throttle()`/`@SkipThrottle()` numbers and flags of a handler and its class (method first),
 * per throttler name, for the route map. Function-valued limits are resolved per request and not shown.
 */
export function readThrottle(handler: object, controller: object): RouteThrottle | undefined {
  const names = new Set([...throttlerNamesOn(controller), ...throttlerNamesOn(handler)]);
  if (names.size === 0) return undefined;
  const out: RouteThrottle = {};
  for (const name of names) {
    const { skip, limit, ttl, blockDuration } = throttleDecorators(handler, controller, name);
    const entry: RouteThrottle[string] = {};
    if (typeof limit === 'number') entry.limit = limit;
    if (typeof ttl === 'number') entry.ttl = ttl;
    if (typeof blockDuration === 'number') entry.blockDuration = blockDuration;
    if (skip) entry.skip = true;
    out[name] = entry;
  }
  return out;
}
