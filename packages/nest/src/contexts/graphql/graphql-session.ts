import type { BastionRequestContext } from '../bastion-context.js';
import { httpContextOf, type HttpContextSettings } from '../http/http-context.js';

// A symbol, not a string key: a GraphQL client can never set it (variables and extensions are strings).
const SESSION = Symbol('bastion.graphqlSession');

/**
 * Marks a GraphQL context object (the third resolver argument) with the request or connection it
 * belongs to: the HTTP request of a query or mutation, or the `graphql-ws` connection of a
 * subscription. `BastionGraphql` does this in the drivers' `context` functions.
 */
export function attachGraphqlSession<T extends object>(gqlContext: T, session: BastionRequestContext): T {
  Object.defineProperty(gqlContext, SESSION, { value: session, enumerable: true, configurable: false, writable: false });
  return gqlContext;
}

/** The request or connection `BastionGraphql` attached to a GraphQL context, if any. */
export function attachedGraphqlSession(gqlContext: unknown): BastionRequestContext | undefined {
  return typeof gqlContext === 'object' && gqlContext !== null ? (gqlContext as { [SESSION]?: BastionRequestContext })[SESSION] : undefined;
}

/**
 * The request or connection a GraphQL context belongs to. Falls back to the HTTP request the drivers
 * put there (Apollo: `req`; Mercurius: `reply.request`), so queries are checked even when the
 * context was built without `BastionGraphql`; a subscription without a session is refused.
 */
export function graphqlSessionOf(gqlContext: unknown, settings: HttpContextSettings): BastionRequestContext | undefined {
  if (typeof gqlContext !== 'object' || gqlContext === null) return undefined;
  const session = attachedGraphqlSession(gqlContext);
  if (session) return session;
  const c = gqlContext as { req?: { headers?: unknown; raw?: unknown }; reply?: { request?: object } };
  const req = c.reply?.request ?? (c.req && typeof c.req.headers === 'object' ? c.req : undefined);
  return req ? httpContextOf(req, settings) : undefined;
}
