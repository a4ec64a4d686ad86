import { POLICIES_KEY } from '../core/constants.js';
import { appendMetadata } from './append-metadata.js';
import type { PolicyType } from './policy.js';

/**
 * Runs the given injectable {@link Policy} classes after scopes and roles; every one must allow.
 * Class- and method-level policies both run (class first). A policy that is not a provider stops the
 * app at boot with the route named.
 *
 * @example
 * ```ts
 * @UsePolicy(OrderOwnerPolicy)
 * @RequireScopes('orders:read')
 * @Get(':id')
 * findOne(@Param('id') id: string) { … }
 * ```
 */
export const UsePolicy = (policy: PolicyType, ...more: PolicyType[]): ClassDecorator & MethodDecorator =>
  appendMetadata(POLICIES_KEY, [policy, ...more]);
