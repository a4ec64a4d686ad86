import type { ResolvedRoute } from '../authorization/resolved-route.js';
import type { Authenticator } from '../core/authenticator.js';
import type { Principal } from '../core/principal.js';
import type { AuthenticationState, RequestContext } from '../core/request-context.js';

/**
 * The request context as Bastion's own layers hold it, whatever the transport: the read-only
 * {@link RequestContext} plus the state the guards settle once (route, principal, authentication).
 */
export interface BastionRequestContext extends RequestContext {
  route: ResolvedRoute | undefined;
  principal: Principal | undefined;
  authentication: AuthenticationState;
  /** Memo of the authenticators whose credential the request carries (see `authentication/presented.ts`). */
  presented: readonly Authenticator[] | undefined;
  /** Set once the throttler has counted this request or message, so its two positions never count it twice. */
  counted?: boolean;
  /**
   * True for a GraphQL field resolver that states no decision of its own: the root field that reached
   * it was checked, so Bastion's guards let it through.
   */
  readonly passThrough?: boolean;
}
