import type { ThrottlerModuleOptions } from '@nestjs/throttler';

/** Name of Bastion's throttler: `@Throttle({ default: … })` and `@SkipThrottle({ default: true })` address it. */
export const BASTION_THROTTLER = 'default';

/**
 * `@nestjs/throttler` module options, as its guard's constructor needs them. Bastion's guard chooses
 * the limit and window of each request itself (principal, scope, boundary and route budgets, resolved
 * once per route), so these values are never used to count.
 */
export const THROTTLER_MODULE_OPTIONS: ThrottlerModuleOptions = { throttlers: [{ name: BASTION_THROTTLER, limit: 1, ttl: 1 }] };
