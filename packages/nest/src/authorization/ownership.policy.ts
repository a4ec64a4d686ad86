import { Inject, Injectable, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { claimAt, claimEquals } from './claims.js';
import type { Policy, PolicyContext, PolicyDenial } from './policy.js';

/** Options of {@link OwnershipPolicy}. Give `param`, or `resource` (with `field`). */
export interface OwnershipOptions<R = unknown> {
  /** Principal claim holding the caller's id (dotted path allowed). Default `'sub'` (the subject). */
  claim?: string;
  /** Compare the claim with this route param (e.g. `/users/:userId/...`). */
  param?: string;
  /**
   * Load the resource the route acts on (e.g. by `ctx.params.id`);
   * `moduleRef.get(Service, { strict: false })` reaches your services. Return `undefined`/`null` when it
   * does not exist: that is denied the same way as "not yours", so the two cannot be told apart.
   */
  resource?: (context: PolicyContext, moduleRef: ModuleRef) => R | null | undefined | Promise<R | null | undefined>;
  /** Field of the loaded resource holding the owner's id (dotted path allowed). Default `'ownerId'`. */
  field?: string;
  /** Answer on denial. Default `'not-found'` (404), so other users' objects are not revealed (OWASP API1). */
  onDeny?: PolicyDenial;
  /** Class name shown in logs and the route map. Default `'OwnershipPolicy'`. */
  name?: string;
}

/**
 * Builds an injectable ownership policy: the caller's claim must equal a route param or the owner
 * field of a loaded resource. Register the returned class in a module's `providers`.
 *
 * @example
 * ```ts
 * export const OrderOwner = OwnershipPolicy({
 *   name: 'OrderOwner',
 *   resource: (ctx, ref) => ref.get(OrdersService, { strict: false }).find(ctx.params.id),
 *   field: 'ownerId',
 * });
 * // providers: [OrdersService, OrderOwner]
 * @UsePolicy(OrderOwner) @RequireScopes('orders:read') @Get(':id') findOne() { … }
 * ```
 */
export function OwnershipPolicy<R = unknown>(options: OwnershipOptions<R>): Type<Policy> {
  if (!options.param === !options.resource) throw new Error('OwnershipPolicy: give exactly one of "param" or "resource"');
  const claim = options.claim ?? 'sub';
  const field = options.field ?? 'ownerId';

  @Injectable()
  class Ownership implements Policy {
    readonly onDeny: PolicyDenial = options.onDeny ?? 'not-found';
    constructor(@Inject(ModuleRef) private readonly moduleRef: ModuleRef) {}

    async evaluate(ctx: PolicyContext): Promise<boolean> {
      const caller = claim === 'sub' ? ctx.principal.subject : claimAt(ctx.principal.claims, claim);
      if (options.param) return claimEquals(caller, ctx.params[options.param]);
      const resource = await options.resource!(ctx, this.moduleRef);
      if (typeof resource !== 'object' || resource === null) return false;
      return claimEquals(caller, claimAt(resource as Record<string, unknown>, field));
    }
  }
  Object.defineProperty(Ownership, 'name', { value: options.name ?? 'OwnershipPolicy' });
  return Ownership;
}
