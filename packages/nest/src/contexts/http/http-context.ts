import type { ExecutionContext } from '@nestjs/common';
import type { ConnectionFacts } from '../../net/forwarded.js';
import { resolveClient } from '../../net/forwarded.js';
import type { TrustedProxies } from '../../net/trusted-proxies.js';
import type { UntrustedForwardingWarning } from '../../net/untrusted-forwarding.js';
import { HttpRequestContext, type NodeRequest } from './http-request-context.js';

/** What building an HTTP context needs from the resolved configuration. */
export interface HttpContextSettings {
  readonly trustedProxies: TrustedProxies;
  readonly untrustedForwarding: UntrustedForwardingWarning;
}

// A symbol, not a string key: nothing outside Bastion can set or spoof it (a body or header never can).
const CONTEXT = Symbol('bastion.requestContext');

type ContextHolder = NodeRequest & { [CONTEXT]?: HttpRequestContext };

/** The raw Node request of an Express request (itself) or a Fastify request (`raw`). */
function rawOf(req: object): ContextHolder {
  return ((req as { raw?: object }).raw ?? req) as ContextHolder;
}

/** One pass over the raw header lines for everything the client resolution and request id need. */
function connectionFacts(raw: NodeRequest): { facts: ConnectionFacts; requestIds: string[] } {
  const forwardedFor: string[] = [];
  const forwardedProto: string[] = [];
  const forwardedHost: string[] = [];
  const forwarded: string[] = [];
  const requestIds: string[] = [];
  const rawHeaders = raw.rawHeaders ?? [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    // Cheap pre-filter: every header of interest starts with x/X or f/F.
    const first = name.charCodeAt(0) | 0x20;
    if (first !== 0x78 && first !== 0x66) continue;
    const lower = name.toLowerCase();
    const value = rawHeaders[i + 1]!;
    if (lower === 'x-forwarded-for') forwardedFor.push(value);
    else if (lower === 'x-forwarded-proto') forwardedProto.push(value);
    else if (lower === 'x-forwarded-host') forwardedHost.push(value);
    else if (lower === 'forwarded') forwarded.push(value);
    else if (lower === 'x-request-id') requestIds.push(value);
  }
  if (rawHeaders.length === 0) {
    // Requests built without raw header lines (some injection tools) still have the parsed ones.
    const h = raw.headers;
    const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
    forwardedFor.push(...list(h['x-forwarded-for']));
    forwardedProto.push(...list(h['x-forwarded-proto']));
    forwardedHost.push(...list(h['x-forwarded-host']));
    forwarded.push(...list(h['forwarded']));
    requestIds.push(...list(h['x-request-id']));
  }
  const socket = raw.socket as { remoteAddress?: string; encrypted?: boolean } | undefined;
  const host = (raw.headers[':authority'] as string | undefined) ?? raw.headers.host;
  return {
    facts: { peer: socket?.remoteAddress, encrypted: socket?.encrypted === true, forwardedFor, forwardedProto, forwardedHost, forwarded, host },
    requestIds,
  };
}

/**
 * The request context of an Express or Fastify request: built on first use and cached on the raw
 * Node request, so every later layer — and the other adapter wrapper of the same request — gets the
 * same one. A context first built from Fastify's raw request (module middleware) picks up the
 * framework request when a guard brings it.
 */
export function httpContextOf(req: object, settings: HttpContextSettings): HttpRequestContext {
  // Express's request is the raw one: found there without looking for a `raw` it does not have.
  let ctx = (req as ContextHolder)[CONTEXT];
  if (ctx !== undefined) return ctx;
  const raw = rawOf(req);
  ctx = raw[CONTEXT];
  if (ctx === undefined) {
    const { facts, requestIds } = connectionFacts(raw);
    const client = resolveClient(facts, settings.trustedProxies);
    if (!client.viaTrustedProxy && client.forwardingHeaders) settings.untrustedForwarding.notice(client.peer);
    ctx = new HttpRequestContext(req, raw, client, requestIds);
    raw[CONTEXT] = ctx;
  } else if (req !== raw && ctx.request !== req) {
    ctx.attach(req);
  }
  return ctx;
}

/** The context of a request if a Bastion layer has built one (never builds). */
export function existingHttpContext(req: object | undefined): HttpRequestContext | undefined {
  return req ? rawOf(req)[CONTEXT] : undefined;
}

/** The context of the HTTP request of a Nest execution context. */
export function httpContextFrom(context: ExecutionContext, settings: HttpContextSettings): HttpRequestContext {
  // The request is argument 0 of an HTTP context; `switchToHttp()` would build three closures per call.
  return httpContextOf(context.getArgByIndex<object>(0), settings);
}
