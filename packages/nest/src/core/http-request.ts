import { ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PRINCIPAL_KEY, REQUEST_ID_KEY } from './constants.js';
import type { Principal } from './principal.js';

/**
 * The parts of an Express or Fastify request Bastion reads. Both expose `headers`, `method` and a socket;
 * Fastify's raw Node request sits under `raw`.
 */
export interface BastionRequest {
  headers: Record<string, string | string[] | undefined>;
  method?: string;
  url?: string;
  originalUrl?: string;
  params?: Record<string, string>;
  query?: unknown;
  body?: unknown;
  socket?: { remoteAddress?: string; encrypted?: boolean };
  raw?: { socket?: { remoteAddress?: string }; rawHeaders?: string[]; url?: string };
  rawHeaders?: string[];
  [PRINCIPAL_KEY]?: Principal;
  [REQUEST_ID_KEY]?: string;
  [key: string]: unknown;
}

export function httpRequestOf(context: ExecutionContext): BastionRequest {
  return context.switchToHttp().getRequest<BastionRequest>();
}

/** The raw header lines as sent (Node joins duplicates in `headers`, so count them here). */
export function rawHeaderValues(req: BastionRequest, name: string): string[] {
  const raw = req.rawHeaders ?? req.raw?.rawHeaders ?? [];
  const lower = name.toLowerCase();
  const values: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === lower) values.push(raw[i + 1]!);
  }
  return values;
}

/**
 * Every line of header `name` as sent, in order; from the parsed headers only when the request carries no
 * raw header lines at all (injected requests, some test tools).
 */
export function headerLines(req: BastionRequest, name: string): string[] {
  const raw = rawHeaderValues(req, name);
  if (raw.length > 0 || req.rawHeaders || req.raw?.rawHeaders) return raw;
  const joined = headerValue(req, name);
  return joined === undefined ? [] : [joined];
}

export function headerValue(req: BastionRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

export function remoteAddressOf(req: BastionRequest): string | undefined {
  return req.socket?.remoteAddress ?? req.raw?.socket?.remoteAddress;
}

/** Property where the client address resolved through the trusted proxies is cached (`net/client-address.ts`). */
export const CLIENT_ADDRESS_KEY = 'bastionClient';

/**
 * The client IP for logs and events: the one resolved through the trusted proxies once a Bastion guard
 * has resolved it (the first global guard does), else the socket peer.
 */
export function clientIpOf(req: BastionRequest): string | undefined {
  return (req[CLIENT_ADDRESS_KEY] as { ip?: string } | undefined)?.ip ?? remoteAddressOf(req);
}

/** Path of the request without its query string (for logs and events). */
export function requestPathOf(req: BastionRequest): string {
  const url = req.originalUrl ?? req.raw?.url ?? req.url ?? '';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The request id: an incoming `X-Request-Id` when it is a safe token (so ids correlate across services
 * without letting a client inject log lines), else a fresh UUID. Stable for the life of the request.
 */
export function requestIdOf(req: BastionRequest): string {
  let id = req[REQUEST_ID_KEY];
  if (!id) {
    const incoming = headerValue(req, 'x-request-id');
    id = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req[REQUEST_ID_KEY] = id;
  }
  return id;
}

export function principalOf(req: BastionRequest): Principal | undefined {
  return req[PRINCIPAL_KEY];
}
