import type { RequestContext } from '../../core/request-context.js';
import type { HttpMessage } from './http-message.js';
import type { SignedRequest } from './signature-verifier.js';

/** True when a request signs anything at all (then the signature authenticator takes it). */
export function isSignaturePresented(ctx: RequestContext): boolean {
  return ctx.header('signature-input') !== undefined || ctx.header('signature') !== undefined;
}

/** True when the request announces a body (`Transfer-Encoding`, or a `Content-Length` above 0). */
export function announcesBody(ctx: RequestContext): boolean {
  const length = ctx.header('content-length');
  return ctx.header('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

/**
 * Reads what a signature covers from the request context: the method, the request target as received,
 * the origin the client addressed (scheme and authority as the trusted proxies vouch for them), every
 * header line as sent, and the raw body `configureBastion` captured. The only function that reads the
 * request for signatures.
 */
export function signedRequestOf(ctx: RequestContext): SignedRequest {
  const message: HttpMessage = {
    method: ctx.method,
    scheme: ctx.scheme,
    // RFC 9112 §3.2: a request has exactly one Host; with several, which one was signed is ambiguous.
    authority: ctx.headerLines('host').length > 1 ? undefined : ctx.authority,
    target: ctx.target,
    fieldLines: (name) => ctx.headerLines(name),
  };
  return {
    message,
    signatureInput: ctx.headerLines('signature-input'),
    signature: ctx.headerLines('signature'),
    hasBody: announcesBody(ctx),
    body: ctx.rawBody,
    clientIp: ctx.client.ip,
  };
}
