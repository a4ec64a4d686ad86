import type { INestApplication } from '@nestjs/common';
import { AuthorizationGuard } from '../authorization/authorization.guard.js';
import { AuthenticationGuard } from '../authentication/authentication.guard.js';
import { applicationConfigOfApp } from '../nest-internals.js';
import { BastionThrottlerGuard } from '../throttling/bastion-throttler.guard.js';
import { BruteForceGuard } from '../throttling/brute-force.guard.js';

/** Bastion's global guards (the `guards` option only accepts subclasses of these). */
const BASTION_GUARDS: ReadonlyArray<abstract new (...args: never[]) => unknown> = [BruteForceGuard, BastionThrottlerGuard, AuthenticationGuard, AuthorizationGuard];

/**
 * Moves Bastion's global guards, in the order `BastionModule` registers them, in front of the app's own
 * `APP_GUARD`s. Nest runs global guards in module scan order, the root module first, so an app guard
 * registered there would otherwise answer an anonymous request before Bastion's brute-force block,
 * throttling and authentication (no audit event, no limit).
 */
export function runBastionGuardsFirst(app: INestApplication): void {
  const guards = applicationConfigOfApp(app)?.getGlobalGuards?.();
  if (!Array.isArray(guards)) return;
  const ours = guards.filter((g) => BASTION_GUARDS.some((cls) => g instanceof cls));
  if (ours.length === 0) return;
  const theirs = guards.filter((g) => !ours.includes(g));
  guards.splice(0, guards.length, ...ours, ...theirs);
}
