import type { HttpRequestContext } from '../contexts/http/http-request-context.js';
import type { Authenticator } from '../core/authenticator.js';
import type { RouteContext } from '../core/route-context.js';

/**
 * The authenticators whose credential the request carries, among `all` (every enabled one), asked
 * once per request: the anonymous throttle count and authentication both need the answer.
 */
export function presentedAuthenticators(ctx: HttpRequestContext, route: RouteContext, all: readonly Authenticator[]): readonly Authenticator[] {
  // `@Public({ ownCredential: true })`: the app's own guard checks this route's credential (a refresh
  // token); verified as an access token it would refuse every caller. The route is public, so Bastion
  // sees an anonymous call (counted against the anonymous budget) and grants nothing by skipping it.
  ctx.presented ??= route.decision.ownCredential ? [] : all.filter((authenticator) => authenticator.isPresented(ctx));
  return ctx.presented;
}
