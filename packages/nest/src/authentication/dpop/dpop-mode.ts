import type { EffectiveBoundary } from '../../authorization/boundaries.js';
import type { RequestContext } from '../../core/request-context.js';
import type { DpopConfig } from './dpop-config.js';
import { DPOP_MODE_KEY } from './dpop.decorator.js';
import type { DpopMode } from './dpop-options.js';

/**
 * A route's DPoP mode, resolved once by the route map: its own `@Dpop()` (method over class), else its
 * boundary's, else `dpop.mode`. `undefined` when DPoP is not configured.
 */
export function dpopModeOf(handler: object, controller: object, boundary: EffectiveBoundary | undefined, dpop: DpopConfig | undefined): DpopMode | undefined {
  if (!dpop) return undefined;
  return (
    (Reflect.getOwnMetadata(DPOP_MODE_KEY, handler) as DpopMode | undefined) ??
    (Reflect.getMetadata(DPOP_MODE_KEY, controller) as DpopMode | undefined) ??
    boundary?.options.dpop ??
    dpop.mode
  );
}

/** The DPoP mode that applies to a request: its route's, or `dpop.mode` before the route is known. */
export function routeDpopMode(ctx: RequestContext, dpop: DpopConfig | undefined): DpopMode {
  return ctx.route?.dpop ?? dpop?.mode ?? 'allowed';
}

/**
 * What is wrong with a route's `@Dpop()` (checked at boot by the route map): a mode that is none of the
 * three, or a mode at all while `dpop` is not configured (the route could never take a DPoP token).
 */
export function dpopDecoratorProblem(handler: object, controller: object, dpop: DpopConfig | undefined): string | undefined {
  const mode: unknown = Reflect.getOwnMetadata(DPOP_MODE_KEY, handler) ?? Reflect.getMetadata(DPOP_MODE_KEY, controller);
  if (mode === undefined) return undefined;
  if (mode !== 'allowed' && mode !== 'required' && mode !== 'disabled') return `@Dpop() needs 'allowed', 'required' or 'disabled'`;
  if (dpop === undefined) return `@Dpop('${mode}') needs the "dpop" option`;
  return undefined;
}
