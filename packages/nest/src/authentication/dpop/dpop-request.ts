import { headerValue, rawHeaderValues, type BastionRequest } from '../../core/http-request.js';
import { clientAddressOf } from '../../net/client-address.js';
import type { TrustedProxies } from '../../net/trusted-proxies.js';

/** What the DPoP authenticator reads from a request; nothing else of the request is used. */
export interface DpopRequest {
  /** Every `Authorization` line, as sent. */
  readonly authorization: readonly string[];
  /** Every `DPoP` line, as sent (RFC 9449 §4.3 step 1: more than one is refused). */
  readonly proofs: readonly string[];
  readonly method: string;
  /** The request target as received (origin-form path and query, or absolute-form). */
  readonly target: string;
  /** Origin the client addressed: the scheme and host a trusted proxy vouches for, else the connection's and `Host`. */
  readonly origin: string | undefined;
}

function lines(req: BastionRequest, name: string): string[] {
  const raw = rawHeaderValues(req, name);
  if (raw.length > 0) return raw;
  // Requests built without raw headers (injected requests) still have the parsed one.
  const joined = headerValue(req, name);
  return joined === undefined ? [] : [joined];
}

/** RFC 9110 §7.2 `Host`: a host name, IPv4 or bracketed IPv6 address, and an optional port; nothing else. */
const HOST = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The last entry of a comma-separated header: the value the nearest (trusted) proxy wrote. */
function lastEntry(values: readonly string[]): string | undefined {
  const entries = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  return entries[entries.length - 1];
}

/** Reads a request for DPoP. The one place the DPoP authenticator touches the request. */
export function dpopRequestOf(req: BastionRequest, trusted: TrustedProxies): DpopRequest {
  const client = clientAddressOf(req, trusted);
  const forwardedHost = client.viaTrustedProxy ? lastEntry(lines(req, 'x-forwarded-host')) : undefined;
  const host = forwardedHost ?? headerValue(req, 'host');
  // A Host with a path or fragment in it would let the client choose which URI its proof is compared with.
  return {
    authorization: lines(req, 'authorization'),
    proofs: lines(req, 'dpop'),
    method: req.method ?? 'GET',
    target: req.originalUrl ?? req.raw?.url ?? req.url ?? '/',
    origin: host !== undefined && HOST.test(host) ? `${client.protocol}://${host}` : undefined,
  };
}

/** True when a request uses the `DPoP` authorization scheme (RFC 9449 §7.1; scheme names are case-insensitive). */
export function usesDpopScheme(req: BastionRequest): boolean {
  return lines(req, 'authorization').some((value) => /^dpop(?:\s|$)/i.test(value));
}

/** True when a request uses the `Bearer` authorization scheme. */
export function usesBearerScheme(req: BastionRequest): boolean {
  return lines(req, 'authorization').some((value) => /^bearer(?:\s|$)/i.test(value));
}
