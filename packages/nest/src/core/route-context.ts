import type { EffectiveBoundary } from '../authorization/boundaries.js';
import type { RouteDecision } from '../authorization/route-decision.js';

/** What Bastion enforces on one route, resolved once per handler and shared by every request to it. */
export interface RouteContext {
  /** `Controller.method`. */
  readonly name: string;
  /** The access decision its decorators state. */
  readonly decision: RouteDecision;
  /** Its trust boundary (own `@Boundary()` or the default), if any. */
  readonly boundary: EffectiveBoundary | undefined;
}
