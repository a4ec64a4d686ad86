import type { EffectiveBoundary } from './boundaries.js';
import type { ResolvedRoute } from './resolved-route.js';

/**
 * A route that is not a handler: a WebSocket or `graphql-ws` handshake, or a GraphQL request checked
 * before execution. Public means "verify a credential if one is presented, accept anonymous callers";
 * otherwise a credential is required. No scopes, roles or policies: the handlers behind it have theirs.
 */
export function syntheticRoute(name: string, isPublic: boolean, boundary: EffectiveBoundary | undefined): ResolvedRoute {
  return {
    name,
    methodName: name,
    paths: [],
    decision: { public: isPublic, baseline: false, ownCredential: false, authenticated: !isPublic, boundary: boundary?.name, scopes: [], anyScopes: [], roles: [], policies: [], emptyLists: [] },
    boundary,
    policies: [],
    guardPolicies: [],
    bodyPolicies: [],
    bodyParam: undefined,
    throttle: { skip: true, limit: undefined, ttl: undefined, blockDuration: undefined, scope: 'api' },
    securityHeaders: undefined,
  };
}
