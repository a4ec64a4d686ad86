import { Injectable, type Type } from '@nestjs/common';
import { claimAt, claimEquals, claimIncludes, type ClaimValue } from './claims.js';
import type { Policy, PolicyContext, PolicyDenial } from './policy.js';

/** Options of {@link ClaimMatchPolicy}: a claim and exactly one of `equals`, `includes`, `param`. */
export interface ClaimMatchOptions {
  /** Claim to test (dotted path allowed, e.g. `'org.id'`). */
  claim: string;
  /** The claim must equal this value. */
  equals?: ClaimValue;
  /** The claim (array, or space-separated string) must include this value. */
  includes?: ClaimValue;
  /** The claim must equal this route param (e.g. `tenantId` in `/tenants/:tenantId/...`). */
  param?: string;
  /** Answer on denial. Default `'forbidden'` (403 `ERR_POLICY_DENIED`). */
  onDeny?: PolicyDenial;
  /** Class name shown in logs and the route map. Default `'ClaimMatchPolicy'`. */
  name?: string;
}

/** Pure decision of a {@link ClaimMatchPolicy}. */
export function claimMatches(options: ClaimMatchOptions, claims: Readonly<Record<string, unknown>>, params: Readonly<Record<string, string>>): boolean {
  const actual = claimAt(claims, options.claim);
  if (options.equals !== undefined) return claimEquals(actual, options.equals);
  if (options.includes !== undefined) return claimIncludes(actual, options.includes);
  if (options.param !== undefined) return claimEquals(actual, params[options.param]);
  return false;
}

/**
 * Builds an injectable policy that allows a caller whose claim equals or includes a value. Register
 * the returned class in a module's `providers`.
 *
 * @example
 * ```ts
 * export const SameTenant = ClaimMatchPolicy({ name: 'SameTenant', claim: 'tenant_id', param: 'tenantId' });
 * export const Staff = ClaimMatchPolicy({ name: 'Staff', claim: 'groups', includes: 'staff' });
 * @UsePolicy(SameTenant) @Authenticated() @Get('tenants/:tenantId/invoices') list() { … }
 * ```
 */
export function ClaimMatchPolicy(options: ClaimMatchOptions): Type<Policy> {
  const given = [options.equals, options.includes, options.param].filter((v) => v !== undefined).length;
  if (typeof options.claim !== 'string' || options.claim === '' || given !== 1) {
    throw new Error('ClaimMatchPolicy: give a "claim" and exactly one of "equals", "includes" or "param"');
  }

  @Injectable()
  class ClaimMatch implements Policy {
    readonly onDeny: PolicyDenial = options.onDeny ?? 'forbidden';
    evaluate(ctx: PolicyContext): boolean {
      return claimMatches(options, ctx.principal.claims, ctx.params);
    }
  }
  Object.defineProperty(ClaimMatch, 'name', { value: options.name ?? 'ClaimMatchPolicy' });
  return ClaimMatch;
}
