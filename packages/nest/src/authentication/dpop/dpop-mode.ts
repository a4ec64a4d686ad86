import type { BastionRequest } from '../../core/http-request.js';
import type { EffectiveBoundary } from '../../authorization/boundaries.js';
import { DPOP_MODE_KEY } from './dpop.decorator.js';
import type { DpopMode, DpopOptions } from './dpop-options.js';

/** Request property holding the DPoP mode of the route the request is for. */
const ROUTE_MODE = 'bastionDpopMode';

/** A route's DPoP mode: its own `@Dpop()` (method over class), else its boundary's, else `dpop.mode`, else `allowed`. */
export function dpopModeOf(handler: object, controller: object, boundary: EffectiveBoundary | undefined, options: { dpop?: DpopOptions }): DpopMode {
  return (
    (Reflect.getOwnMetadata(DPOP_MODE_KEY, handler) as DpopMode | undefined) ??
    (Reflect.getMetadata(DPOP_MODE_KEY, controller) as DpopMode | undefined) ??
    boundary?.options.dpop ??
    options.dpop?.mode ??
    'allowed'
  );
}

/** Records the route's mode on the request, where the authenticators and the error filter read it. */
export function rememberRouteDpopMode(req: BastionRequest, mode: DpopMode): void {
  req[ROUTE_MODE] = mode;
}

/** The DPoP mode that applies to `req`: its route's, or `dpop.mode` before the route is known. */
export function routeDpopMode(req: BastionRequest, options: { dpop?: DpopOptions }): DpopMode {
  return (req[ROUTE_MODE] as DpopMode | undefined) ?? options.dpop?.mode ?? 'allowed';
}

/**
 * What is wrong with a route's `@Dpop()` (checked at boot by the route map): a mode that is none of the
 * three, or a mode at all while `dpop` is not configured (the route could never take a DPoP token).
 */
export function dpopDecoratorProblem(handler: object, controller: object, options: { dpop?: DpopOptions }): string | undefined {
  const mode: unknown = Reflect.getOwnMetadata(DPOP_MODE_KEY, handler) ?? Reflect.getMetadata(DPOP_MODE_KEY, controller);
  if (mode === undefined) return undefined;
  if (mode !== 'allowed' && mode !== 'required' && mode !== 'disabled') return `@Dpop() needs 'allowed', 'required' or 'disabled'`;
  if (options.dpop === undefined) return `@Dpop('${mode}') needs the "dpop" option`;
  return undefined;
}
