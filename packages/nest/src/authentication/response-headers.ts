import type { RequestContext } from '../core/request-context.js';

const pending = new WeakMap<RequestContext, Record<string, string>>();

/**
 * Asks for a header on the response of an authenticated request (e.g. RFC 9449 §8.2's fresh `DPoP-Nonce`):
 * written by `RouteInterceptor` once every guard has let the request through.
 */
export function addResponseHeader(ctx: RequestContext, name: string, value: string): void {
  const headers = pending.get(ctx);
  if (headers) headers[name] = value;
  else pending.set(ctx, { [name]: value });
}

/** The headers authentication asked for on this request's response, if any. */
export function responseHeadersOf(ctx: RequestContext): Readonly<Record<string, string>> | undefined {
  return pending.get(ctx);
}
