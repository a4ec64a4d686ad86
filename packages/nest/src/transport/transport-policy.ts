import type { HttpRequestContext } from '../contexts/http/http-request-context.js';
import { BastionException } from '../errors/bastion.exception.js';
import { acceptsGraphqlResponse, acceptsJson, assertContentType } from './content-negotiation.js';
import { corsDecision } from './cors-policy.js';
import { httpsDecision } from './https-policy.js';
import { parseQueryString, rawQueryOf } from './query-string.js';
import { hasBody, headerBytesOf, type RawResponse } from './raw-http.js';
import type { ResolvedTransport } from './resolved-transport.js';
import { stripFingerprintHeaders } from './security-headers.js';
import { isStreamedBody } from './streamed-body.js';
import { toBastionException } from './to-bastion-exception.js';

/**
 * Every request-level transport rule, in the order a request meets them, on the raw Node request and
 * response (so Express, Fastify's middie and the early adapter hooks share it). Idempotent per request:
 * `configureBastion` runs it before body parsing, the module middleware runs it for apps without.
 * Returns `true` when it answered the request itself (preflight, redirect); throws a
 * `BastionException` to reject.
 */
export function applyTransportPolicy(ctx: HttpRequestContext, res: RawResponse, t: ResolvedTransport): boolean {
  // Kept on the context (a field it always has), not added to Node's request as a new property.
  if (ctx.transportApplied) return false;
  ctx.transportApplied = true;
  const req = ctx.raw;
  stripFingerprintHeaders(res);
  // Set first, so every answer below (and every error the filter writes) carries them.
  const headers = t.headers;
  for (let i = 0; i < headers.length; i++) res.setHeader(headers[i]![0], headers[i]![1]);
  res.setHeader('X-Request-Id', ctx.id);

  const target = ctx.target;
  if (Buffer.byteLength(target) > t.limits.urlBytes) throw new BastionException('ERR_URI_TOO_LONG', { reason: 'request target too long' });
  if (headerBytesOf(req) > t.limits.headerBytes) throw new BastionException('ERR_HEADERS_TOO_LARGE', { reason: 'header section too large' });

  const method = ctx.method;
  const client = ctx.client;
  const https = httpsDecision(client, method, client.forwardingHeaders, t.https);
  if (https === 'redirect') {
    res.statusCode = 308;
    res.setHeader('Location', `${t.https.redirectTo}${target.startsWith('/') ? target : `/${target}`}`);
    res.end();
    return true;
  }
  if (https === 'reject') throw new BastionException('ERR_HTTPS_REQUIRED', { reason: `plain http from ${client.ip}` });

  if (t.cors) {
    const cors = corsDecision(
      { origin: ctx.header('origin'), method, requestMethod: ctx.header('access-control-request-method'), requestHeaders: ctx.header('access-control-request-headers') },
      t.cors,
    );
    for (const [name, value] of Object.entries(cors.headers)) res.setHeader(name, value);
    if (cors.preflight) {
      // Fetch §4.8: a preflight is answered here, before authentication (it carries no credentials).
      res.statusCode = 204;
      res.end();
      return true;
    }
  }

  try {
    // A streamed route (a proxy) passes the body and the answer through: their media types are the upstream's to judge.
    const streamed = isStreamedBody(req);
    if (method !== 'OPTIONS' && !streamed && !acceptsJson(ctx.header('accept')) && !acceptsGraphqlResponse(ctx.header('accept'))) {
      throw new BastionException('ERR_NOT_ACCEPTABLE', { reason: 'accept excludes json' });
    }
    parseQueryString(rawQueryOf(target), t.limits.query);
    if (hasBody(req) && !streamed) assertContentType(ctx.header('content-type'), ctx.header('content-encoding'), t.contentTypes);
  } catch (error) {
    throw toBastionException(error);
  }
  return false;
}
