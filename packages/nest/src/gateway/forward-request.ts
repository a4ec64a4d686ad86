import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { BastionException } from '../errors/bastion.exception.js';
import type { ClientAddress } from '../net/forwarded.js';
import { hasBody } from '../transport/raw-http.js';
import { byteLimit, ByteLimitExceeded } from './byte-limit.js';
import { isSafeGatewayPath, pathOf } from './gateway-path.js';
import { callerResponseHeaders, upstreamRequestHeaders } from './proxy-headers.js';
import type { UpstreamClient } from './upstream-client.js';
import { classifyUpstreamError, upstreamException } from './upstream-failure.js';

/** What the forwarder needs of the caller's request beyond the Node request itself. */
export interface ForwardContext {
  readonly requestId: string;
  readonly client: ClientAddress;
  readonly stripRequestHeaders: ReadonlySet<string>;
  /** The path prefix the caller's request was routed by (the app's global prefix included). Default the upstream's `prefix`. */
  readonly prefix?: string;
}

/** The caller's side of the response: headers already set on it, and how to start it. */
export interface CallerResponse {
  hasHeader(name: string): boolean;
  /** Sends status and headers; returns the stream the body goes to. */
  start(status: number, headers: OutgoingHttpHeaders): Writable;
  /** Called when the caller went away: the upstream call is abandoned. */
  onClose(listener: () => void): void;
}

function bad(code: 'ERR_BAD_REQUEST' | 'ERR_PAYLOAD_TOO_LARGE' | 'ERR_UPSTREAM_UNAVAILABLE' | 'ERR_UPSTREAM_BUSY' | 'ERR_UPSTREAM_RESPONSE_TOO_LARGE' | 'ERR_BAD_GATEWAY', reason: string, upstream: string, headers?: Record<string, string>): BastionException {
  return new BastionException(code, { reason, details: { upstream }, headers });
}

/** The upstream path for a caller's target: the part below the prefix appended to the base path, query kept. */
export function upstreamTarget(target: string, prefix: string, basePath: string): string {
  const path = pathOf(target);
  const rest = path.slice(prefix.length);
  const query = target.slice(path.length);
  const joined = `${basePath}${rest}`;
  return `${joined === '' ? '/' : joined}${query}`;
}

/**
 * Forwards one request to an upstream and streams the answer back, neither body held in memory whole
 * (except a request body a `needsBody` credential digests, read up to `maxRequestBytes`).
 * Refuses before calling upstream: an unsafe path (400), a declared body over the limit (413), an open
 * circuit (503 `ERR_UPSTREAM_UNAVAILABLE`), no free slot (503 `ERR_UPSTREAM_BUSY`). Maps failures to
 * 502/504 problems without passing on an upstream 5xx body. Once the response has started, a failure
 * (a body over `maxResponseBytes`, a body timeout) can only cut the connection.
 */
export async function forwardRequest(client: UpstreamClient, req: IncomingMessage, ctx: ForwardContext, res: CallerResponse): Promise<void> {
  const u = client.upstream;
  const target = req.url ?? '/';
  if (!isSafeGatewayPath(pathOf(target))) throw bad('ERR_BAD_REQUEST', 'ERR_GATEWAY_PATH', u.name);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > u.maxRequestBytes) throw bad('ERR_PAYLOAD_TOO_LARGE', 'ERR_GATEWAY_REQUEST_TOO_LARGE', u.name, { Connection: 'close' });
  // A credential that signs the body's digest needs the whole body before the first byte goes out: it is read
  // here, capped at maxRequestBytes like a streamed one, and those exact bytes are sent. Others stay streamed.
  const body = u.credential?.needsBody === true && hasBody(req) ? await readBody(req, u.maxRequestBytes, u.name) : undefined;
  const headers = await upstreamHeaders(client, req, ctx, target, body);
  if (!client.tryEnter()) throw bad('ERR_UPSTREAM_BUSY', 'ERR_UPSTREAM_BUSY', u.name, { 'Retry-After': '1' });
  try {
    if (!client.breaker.tryAcquire()) {
      throw bad('ERR_UPSTREAM_UNAVAILABLE', 'ERR_CIRCUIT_OPEN', u.name, { 'Retry-After': String(Math.max(1, Math.ceil(client.breaker.retryAfterMs() / 1000))) });
    }
    const response = await callUpstream(client, req, upstreamTarget(target, ctx.prefix ?? u.prefix, u.basePath), headers, res, body);
    await relay(client, response, res);
  } finally {
    client.leave();
  }
}

/** The upstream request's headers, with the gateway's credential. A credential failure is a 502 that does not touch the breaker. */
async function upstreamHeaders(client: UpstreamClient, req: IncomingMessage, ctx: ForwardContext, target: string, body: Buffer | undefined): Promise<Record<string, string | string[]>> {
  const u = client.upstream;
  // RFC 9421 §2.2.2: a Bastion upstream that trusts the gateway as a proxy rebuilds @target-uri from Forwarded
  // proto= and host=; when the credential signs the target, they are left out so it rebuilds the URL signed.
  const headers = upstreamRequestHeaders(req.headers, ctx.requestId, ctx.client, ctx.stripRequestHeaders, u.credential?.signsTarget !== true);
  if (u.credential === undefined) return headers;
  let added: Readonly<Record<string, string>>;
  try {
    const url = new URL(upstreamTarget(target, ctx.prefix ?? u.prefix, u.basePath), u.origin);
    added = await u.credential.headersFor({ method: (req.method ?? 'GET').toUpperCase(), url, headers, hasBody: hasBody(req), ...(body === undefined ? {} : { body }) });
  } catch {
    throw bad('ERR_BAD_GATEWAY', 'ERR_UPSTREAM_CREDENTIAL', u.name);
  }
  for (const [name, value] of Object.entries(added)) headers[name.toLowerCase()] = value;
  return headers;
}

async function callUpstream(client: UpstreamClient, req: IncomingMessage, path: string, headers: Record<string, string | string[]>, res: CallerResponse, buffered: Buffer | undefined): Promise<Dispatcher.ResponseData> {
  const u = client.upstream;
  const method = (req.method ?? 'GET').toUpperCase();
  const withBody = hasBody(req);
  const abort = new AbortController();
  res.onClose(() => abort.abort());
  const retryable = !withBody && u.retryMethods.has(method);
  for (let attempt = 0; ; attempt++) {
    // The body is streamed once: a request with a body is never retried.
    const body = withBody ? (buffered ?? limitedBody(req, u.maxRequestBytes)) : undefined;
    try {
      const response = await client.pool.request({ path, method: method as Dispatcher.HttpMethod, headers, body, signal: abort.signal });
      if (response.statusCode >= 500) {
        // Never pass on an upstream error body: it may describe the upstream's internals.
        await response.body.dump().catch(() => undefined);
        client.breaker.onFailure();
        throw bad('ERR_BAD_GATEWAY', `ERR_UPSTREAM_STATUS_${response.statusCode}`, u.name);
      }
      client.breaker.onSuccess();
      return response;
    } catch (error) {
      if (error instanceof BastionException) throw error;
      if (error instanceof ByteLimitExceeded || (error as { cause?: unknown }).cause instanceof ByteLimitExceeded) {
        client.breaker.release();
        throw bad('ERR_PAYLOAD_TOO_LARGE', 'ERR_GATEWAY_REQUEST_TOO_LARGE', u.name, { Connection: 'close' });
      }
      const failure = classifyUpstreamError(error);
      if (failure === 'unreachable' && retryable && attempt < u.retryAttempts && !abort.signal.aborted) continue;
      if (failure !== 'other') client.breaker.onFailure();
      else client.breaker.release();
      throw upstreamException(failure, u.name, error);
    }
  }
}

/** The caller's body on its way upstream, cut at `limit` bytes; a caller that goes away aborts it. */
function limitedBody(req: IncomingMessage, limit: number): Readable {
  const limiter = byteLimit(limit);
  req.once('error', (error) => limiter.destroy(error));
  req.once('aborted', () => limiter.destroy(new Error('caller aborted')));
  return req.pipe(limiter);
}

/** The caller's whole body, at most `limit` bytes (413 beyond, as when streamed). */
async function readBody(req: IncomingMessage, limit: number, upstream: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of limitedBody(req, limit)) chunks.push(chunk as Buffer);
  } catch (error) {
    if (error instanceof ByteLimitExceeded) throw bad('ERR_PAYLOAD_TOO_LARGE', 'ERR_GATEWAY_REQUEST_TOO_LARGE', upstream, { Connection: 'close' });
    throw bad('ERR_BAD_REQUEST', 'ERR_GATEWAY_REQUEST_BODY', upstream);
  }
  return Buffer.concat(chunks);
}

async function relay(client: UpstreamClient, response: Dispatcher.ResponseData, res: CallerResponse): Promise<void> {
  const u = client.upstream;
  const length = Number(response.headers['content-length']);
  if (Number.isFinite(length) && length > u.maxResponseBytes) {
    response.body.destroy();
    throw bad('ERR_UPSTREAM_RESPONSE_TOO_LARGE', 'ERR_UPSTREAM_RESPONSE_TOO_LARGE', u.name);
  }
  const headers = callerResponseHeaders(response.headers, (name) => res.hasHeader(name), u.allowSetCookie);
  const sink = res.start(response.statusCode, headers);
  // Piped by hand rather than with stream.pipeline(), which builds an error per request to destroy streams
  // that already ended; back-pressure is the same.
  await new Promise<void>((resolve) => {
    const limiter = byteLimit(u.maxResponseBytes);
    const fail = () => {
      // Headers are out: the only honest signal left is an incomplete response.
      response.body.destroy();
      sink.destroy();
      resolve();
    };
    response.body.once('error', fail);
    limiter.once('error', fail);
    sink.once('close', resolve);
    sink.once('finish', resolve);
    response.body.pipe(limiter).pipe(sink);
  });
}
