import type { RouteContext } from '../core/route-context.js';
import type { ThrottleValue } from '../nest-internals.js';
import type { SecurityHeadersOptions } from '../transport/transport-options.js';
import type { Policy } from './policy.js';
import type { BodyParam } from './validated-body.js';

/** How Bastion's throttler treats one route, read from `@Throttle()`/`@SkipThrottle()` once. */
export interface RouteThrottling {
  /** `@SkipThrottle({ default: true })`. */
  readonly skip: boolean;
  /** The route's own `@Throttle()` values, if any. */
  readonly limit: ThrottleValue | undefined;
  readonly ttl: ThrottleValue | undefined;
  readonly blockDuration: ThrottleValue | undefined;
  /**
   * What the route's counter is shared with: `route:Controller.method` when it has its own limit, else
   * `boundary:<name>` when its boundary has a budget, else `api` (one budget across the API).
   */
  readonly scope: string;
}

/** Everything Bastion enforces on one handler, resolved once and shared by every request to it. */
export interface ResolvedRoute extends RouteContext {
  readonly methodName: string;
  /** Every policy of the route, resolved to its provider instance. */
  readonly policies: readonly Policy[];
  /** Policies run by the authorization guard, before the pipes. */
  readonly guardPolicies: readonly Policy[];
  /** Policies that need the validated body (run by `RouteInterceptor`). */
  readonly bodyPolicies: readonly Policy[];
  /** The handler's `@Body()` parameter, when body policies need it. */
  readonly bodyParam: BodyParam | undefined;
  readonly throttle: RouteThrottling;
  /** `@SecurityHeaders()` overrides of the route (method, else class). */
  readonly securityHeaders: SecurityHeadersOptions | undefined;
}
