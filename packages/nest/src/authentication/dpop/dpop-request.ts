import type { RequestContext } from '../../core/request-context.js';

/** What the DPoP authenticator reads from a request; nothing else of the request is used. */
export interface DpopRequest {
  /** Every `Authorization` line, as sent. */
  readonly authorization: readonly string[];
  /** Every `DPoP` line, as sent (RFC 9449 §4.3 step 1: more than one is refused). */
  readonly proofs: readonly string[];
  readonly method: string;
  /** The request target as received (origin-form path and query, or absolute-form). */
  readonly target: string;
  /** Origin the client addressed: the scheme and host trusted proxies vouch for, else the connection's and `Host`. */
  readonly origin: string | undefined;
}

/** Reads a request for DPoP. The one place the DPoP authenticator touches the request. */
export function dpopRequestOf(ctx: RequestContext): DpopRequest {
  // `authority` is a validated host (no path or fragment that would let the client choose the URI its proof is compared with).
  const authority = ctx.authority;
  return {
    authorization: ctx.headerLines('authorization'),
    proofs: ctx.headerLines('dpop'),
    method: ctx.method,
    target: ctx.target,
    origin: authority === undefined ? undefined : `${ctx.scheme}://${authority}`,
  };
}

/** True when a request uses the `DPoP` authorization scheme (RFC 9449 §7.1; scheme names are case-insensitive). */
export function usesDpopScheme(ctx: RequestContext): boolean {
  return ctx.headerLines('authorization').some((value) => /^dpop(?:\s|$)/i.test(value));
}

/** True when a request uses the `Bearer` authorization scheme. */
export function usesBearerScheme(ctx: RequestContext): boolean {
  return ctx.headerLines('authorization').some((value) => /^bearer(?:\s|$)/i.test(value));
}
