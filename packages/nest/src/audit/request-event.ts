import { routeTemplateOf } from '../authorization/route-path.js';
import type { Principal } from '../core/principal.js';
import type { RequestContext } from '../core/request-context.js';
import type { PrincipalSummary, SecurityEvent } from './security-event.js';

/** Who a principal is, for an event: identifiers only, never the credential. */
export function principalSummary(principal: Principal): PrincipalSummary {
  return { subject: principal.subject, clientId: principal.clientId, credential: principal.credential, keyId: principal.tokenId };
}

/**
 * The request fields of every security event, from the request context — so every event of one
 * request names the same id, client address (resolved through the trusted proxies), route and principal.
 */
export function requestEventFields(ctx: RequestContext): Pick<SecurityEvent, 'requestId' | 'clientRequestId' | 'method' | 'route' | 'routeTemplate' | 'ip' | 'principal'> {
  const routeTemplate = ctx.route && routeTemplateOf(ctx.route, ctx.request);
  return {
    requestId: ctx.id,
    ...(ctx.clientRequestId !== undefined ? { clientRequestId: ctx.clientRequestId } : {}),
    method: ctx.method,
    route: ctx.path,
    ...(routeTemplate !== undefined ? { routeTemplate } : {}),
    ip: ctx.client.ip,
    ...(ctx.principal ? { principal: principalSummary(ctx.principal) } : {}),
  };
}
