import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { ClientAddress } from '../net/forwarded.js';

// RFC 9110 §7.6.1: connection-specific fields, never forwarded (plus the legacy ones proxies still meet).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-authenticate', 'proxy-authorization']);

/** The caller's credentials: the gateway authenticates upstream with its own. */
const CALLER_CREDENTIALS = new Set([
  'authorization',
  'cookie',
  'dpop',
  'x-api-key',
  'api-key',
  'apikey',
  'signature',
  'signature-input',
  'content-digest',
  'client-cert',
  'client-cert-chain',
  'x-client-cert',
  'x-ssl-client-cert',
  'x-forwarded-client-cert',
]);

/** Set by the gateway itself from what Bastion resolved; a caller's value is never passed on. */
const GATEWAY_OWNED = new Set(['host', 'forwarded', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'x-real-ip', 'x-request-id', 'expect']);

/** Response fields the upstream never sets for the caller. */
const RESPONSE_DROPPED = new Set(['server', 'x-powered-by']);

/** Names listed in `Connection` (RFC 9110 §7.6.1: they are hop-by-hop too). */
function connectionNamed(value: string | string[] | undefined): Set<string> {
  const names = new Set<string>();
  for (const line of value === undefined ? [] : Array.isArray(value) ? value : [value]) {
    for (const name of line.split(',')) {
      const trimmed = name.trim().toLowerCase();
      if (trimmed !== '') names.add(trimmed);
    }
  }
  return names;
}

// RFC 7239 §4: a value that is not a token is a quoted-string; IPv6 addresses are bracketed and quoted.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
function forwardedValue(value: string): string {
  return TOKEN.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/**
 * One RFC 7239 `Forwarded` element for the client as Bastion resolved it through its trusted proxies;
 * `for=` alone when `withOrigin` is false.
 */
export function forwardedFor(client: ClientAddress, withOrigin = true): string {
  const node = client.ip.includes(':') ? `[${client.ip}]` : client.ip;
  const parts = [`for=${forwardedValue(node)}`];
  if (withOrigin) parts.push(`proto=${client.protocol}`);
  if (withOrigin && client.host !== undefined) parts.push(`host=${forwardedValue(client.host)}`);
  return parts.join(';');
}

/**
 * The headers sent upstream: the caller's, minus hop-by-hop fields (and those its `Connection`
 * names), minus its credentials (and the API-key header names configured in Bastion), minus any
 * forwarding or request-id header it sent; plus the gateway's `X-Request-Id` and `Forwarded`.
 */
export function upstreamRequestHeaders(incoming: IncomingHttpHeaders, requestId: string, client: ClientAddress, extraCredentialHeaders: ReadonlySet<string>, forwardOrigin = true): Record<string, string | string[]> {
  const named = connectionNamed(incoming.connection);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    if (HOP_BY_HOP.has(name) || named.has(name) || CALLER_CREDENTIALS.has(name) || extraCredentialHeaders.has(name) || GATEWAY_OWNED.has(name)) continue;
    out[name] = value;
  }
  out['x-request-id'] = requestId;
  out['forwarded'] = forwardedFor(client, forwardOrigin);
  return out;
}

/**
 * The upstream's response headers the caller may see: no hop-by-hop field (nor those its
 * `Connection` names), no `Server`/`X-Powered-By`, no `Set-Cookie` unless allowed, and none the
 * gateway's response already carries (Bastion's security headers and request id win).
 */
export function callerResponseHeaders(upstream: Record<string, string | string[] | undefined>, alreadySet: (name: string) => boolean, allowSetCookie: boolean): OutgoingHttpHeaders {
  const named = connectionNamed(upstream['connection']);
  const out: OutgoingHttpHeaders = {};
  for (const [rawName, value] of Object.entries(upstream)) {
    if (value === undefined) continue;
    const name = rawName.toLowerCase();
    if (HOP_BY_HOP.has(name) || named.has(name) || RESPONSE_DROPPED.has(name) || alreadySet(name)) continue;
    if (name === 'set-cookie' && !allowSetCookie) continue;
    out[name] = value;
  }
  return out;
}
