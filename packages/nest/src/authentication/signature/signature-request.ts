import { headerLines, headerValue, type BastionRequest } from '../../core/http-request.js';
import { clientAddressOf } from '../../net/client-address.js';
import { publicOriginOf } from '../../net/public-origin.js';
import type { TrustedProxies } from '../../net/trusted-proxies.js';
import type { HttpMessage } from './http-message.js';
import type { SignedRequest } from './signature-verifier.js';


/** True when a request signs anything at all (then the signature authenticator takes it). */
export function isSignaturePresented(req: BastionRequest): boolean {
  return req.headers['signature-input'] !== undefined || req.headers.signature !== undefined;
}

/**
 * Reads what a signature covers from an Express or Fastify request: the method, the request target as
 * received, the public origin (through the trusted proxies), every header line as sent, and the raw body
 * `configureBastion` captured. The only function that touches the framework's request for signatures.
 */
export function signedRequestOf(req: BastionRequest, trusted: TrustedProxies): SignedRequest {
  const origin = publicOriginOf(req, trusted);
  const message: HttpMessage = {
    method: req.method ?? 'GET',
    scheme: origin.scheme,
    authority: origin.authority,
    // The target as received: Express rewrites `url` under routers, Fastify keeps the raw one on `raw`.
    target: req.raw?.url ?? req.originalUrl ?? req.url ?? '/',
    fieldLines: (name) => headerLines(req, name),
  };
  const length = headerValue(req, 'content-length');
  const rawBody = req.rawBody;
  return {
    message,
    signatureInput: headerLines(req, 'signature-input'),
    signature: headerLines(req, 'signature'),
    hasBody: headerValue(req, 'transfer-encoding') !== undefined || (length !== undefined && length !== '0'),
    body: rawBody instanceof Uint8Array ? rawBody : undefined,
    clientIp: clientAddressOf(req, trusted).ip,
  };
}
