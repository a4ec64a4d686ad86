import type { Type } from '@nestjs/common';
import { AuthenticationGuard } from '../authentication/authentication.guard.js';
import { AuthorizationGuard } from '../authorization/authorization.guard.js';
import type { ResolvedGuards } from '../core/bastion-config.js';
import { BastionThrottlerGuard } from '../throttling/bastion-throttler.guard.js';
import { BastionConfigError, assertOptionalObject } from './assert.js';

/**
 * Subclasses of Bastion's guards to register in their place (`guards` in `BastionOptions`). Each must
 * extend the built-in it replaces; Nest instantiates it with the built-in's dependencies plus any it
 * adds (from Bastion's module and global providers).
 *
 * @example
 * ```ts
 * class TenantThrottlerGuard extends BastionThrottlerGuard {
 *   protected override async getTracker(req: Record<string, any>) { return `tenant:${req.headers['x-tenant-id']}`; }
 * }
 * BastionModule.forRoot({ jwt: {…}, guards: { throttler: TenantThrottlerGuard } });
 * ```
 */
export interface GuardsOptions {
  /** Replaces {@link AuthenticationGuard}. */
  authentication?: Type<AuthenticationGuard>;
  /** Replaces {@link BastionThrottlerGuard} (both the anonymous count before authentication and the principal count after). */
  throttler?: Type<BastionThrottlerGuard>;
  /** Replaces {@link AuthorizationGuard}. */
  authorization?: Type<AuthorizationGuard>;
}

function guardClass<T>(value: unknown, base: Type<T>, path: string): Type<T> {
  if (value === undefined) return base;
  if (typeof value !== 'function' || (value !== base && !(value.prototype instanceof base))) {
    throw new BastionConfigError(path, `must be a class extending ${base.name}`);
  }
  return value as Type<T>;
}

/** Validates `guards` and fills in the built-ins. */
export function resolveGuards(value: unknown): ResolvedGuards {
  assertOptionalObject(value, 'guards');
  const guards = (value ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(guards)) {
    if (!['authentication', 'throttler', 'authorization'].includes(key)) throw new BastionConfigError(`guards.${key}`, 'is not a guard Bastion registers (authentication, throttler, authorization)');
  }
  return {
    authentication: guardClass(guards['authentication'], AuthenticationGuard, 'guards.authentication'),
    throttler: guardClass(guards['throttler'], BastionThrottlerGuard, 'guards.throttler'),
    authorization: guardClass(guards['authorization'], AuthorizationGuard, 'guards.authorization'),
  };
}
