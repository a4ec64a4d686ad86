import type { EffectiveBoundary } from '../authorization/boundaries.js';
import type { RouteDecision } from '../authorization/route-decision.js';
import type { DpopMode } from '../authentication/dpop/dpop-options.js';

/** What Bastion enforces on one route, resolved once per handler and shared by every request to it. */
export interface RouteContext {
  /** `Controller.method`. */
  readonly name: string;
  /** The access decision its decorators state. */
  readonly decision: RouteDecision;
  /** Its trust boundary (own `@Boundary()` or the default), if any. */
  readonly boundary: EffectiveBoundary | undefined;
  /**
   * Every path template it is served at (`/api/v1/orders/:id`: global prefix, version, module and
   * controller paths), from the route map; empty for a handler the map did not see.
   */
  readonly paths: readonly string[];
  /**
   * Its DPoP mode (RFC 9449): own `@Dpop()`, else its boundary's `dpop`, else `dpop.mode`. Unset when the
   * `dpop` option is not configured.
   */
  readonly dpop?: DpopMode;
}
