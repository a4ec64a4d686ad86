import type { HttpRequestContext } from '../contexts/http/http-request-context.js';
import type { Authenticator } from '../core/authenticator.js';

/**
 * The authenticators whose credential the request carries, among `all` (every enabled one), asked
 * once per request: the anonymous throttle count and authentication both need the answer.
 */
export function presentedAuthenticators(ctx: HttpRequestContext, all: readonly Authenticator[]): readonly Authenticator[] {
  ctx.presented ??= all.filter((authenticator) => authenticator.isPresented(ctx));
  return ctx.presented;
}
