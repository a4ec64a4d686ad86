import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import { principalOf, type BastionRequest } from '../core/http-request.js';
import type { Reflector } from '@nestjs/core';
import { BOUNDARY_KEY } from '../core/constants.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import { resolveThrottleOptions, type ResolvedThrottleOptions } from './throttle-options.js';
import { selectBudget, type Budget } from './tracker.js';

/** Name of Bastion's throttler: `@Throttle({ default: … })` and `@SkipThrottle({ default: true })` address it. */
export const BASTION_THROTTLER = 'default';

const budgets = new WeakMap<object, Budget>();

/** The route's trust boundary (`@Boundary()`, else `defaultBoundary`). */
export function boundaryOf(reflector: Reflector, context: ExecutionContext, options: BastionOptions): string | undefined {
  return reflector.getAllAndOverride<string | undefined>(BOUNDARY_KEY, [context.getHandler(), context.getClass()]) ?? options.defaultBoundary;
}

/**
 * The budget of one request, computed once and cached on the request: throttler asks for `limit` and
 * `ttl` separately and both must come from the same choice.
 */
export function budgetOf(context: ExecutionContext, reflector: Reflector, options: BastionOptions, throttle: ResolvedThrottleOptions): Budget {
  const req = context.switchToHttp().getRequest<BastionRequest>();
  let budget = budgets.get(req);
  if (!budget) {
    budget = selectBudget(throttle, principalOf(req), boundaryOf(reflector, context, options));
    budgets.set(req, budget);
  }
  return budget;
}

/**
 * `@nestjs/throttler` module options for Bastion's one throttler: limit and ttl resolved per request
 * from the principal, its scopes and the route's boundary. Route-level `@Throttle()` still wins
 * (throttler resolves route metadata before these functions).
 */
export function throttlerOptionsFor(options: BastionOptions, reflector: Reflector): ThrottlerModuleOptions {
  const throttle = resolveThrottleOptions(options.throttle);
  return {
    throttlers: [
      {
        name: BASTION_THROTTLER,
        limit: (context) => budgetOf(context, reflector, options, throttle).limit,
        ttl: (context) => budgetOf(context, reflector, options, throttle).ttl,
      },
    ],
  };
}
