import type { BastionRequestContext } from '../contexts/bastion-context.js';
import type { Authenticator } from '../core/authenticator.js';

/**
 * The authenticators whose credential the request carries, among `all` (every enabled one), asked
 * once per request: the anonymous throttle count and authentication both need the answer.
 */
export function presentedAuthenticators(ctx: BastionRequestContext, all: readonly Authenticator[]): readonly Authenticator[] {
  ctx.presented ??= all.filter((authenticator) => authenticator.isPresented(ctx));
  return ctx.presented;
}
