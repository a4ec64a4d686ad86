/**
 * The parts of an HTTP request a signature can cover, independent of any framework: the verifier builds
 * one from an incoming request, the signer from an outgoing one.
 */
export interface HttpMessage {
  /** Method as sent (RFC 9421 §2.2.1: case is kept). */
  readonly method: string;
  /** `http` or `https`: the scheme the client used (behind a trusted proxy, the proxy's report). */
  readonly scheme: string;
  /** Host and port as the client addressed them (`Host`, or the trusted proxy's `X-Forwarded-Host`). */
  readonly authority: string | undefined;
  /** The request target as received: origin-form path and query (`/foo?a=1`), or absolute-form. */
  readonly target: string;
  /** Every field line of `name` (lower case), in order, values as received. */
  fieldLines(name: string): readonly string[];
  /** Status code, for a response (RFC 9421 §2.2.9 `@status`); absent on requests. */
  readonly status?: number;
}

/** Splits a request target into path and query (`query` without `?`; undefined when there is none). */
export function splitTarget(target: string): { path: string; query: string | undefined } {
  let rest = target;
  // Absolute-form (RFC 9112 §3.2.2): only the path and query matter here.
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  const hash = rest.indexOf('#');
  if (hash !== -1) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  const path = q === -1 ? rest : rest.slice(0, q);
  return { path: path === '' ? '/' : path, query: q === -1 ? undefined : rest.slice(q + 1) };
}

const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };

/**
 * RFC 9421 §2.2.3 / RFC 9110 §4.2.3: the authority in lower case, without the scheme's default port.
 * Returns undefined for an empty or obviously invalid authority (whitespace, userinfo, a path).
 */
export function normalizeAuthority(authority: string | undefined, scheme: string): string | undefined {
  if (authority === undefined) return undefined;
  const value = authority.trim().toLowerCase();
  if (value === '' || /[\s/@?#]/.test(value)) return undefined;
  // A port is what follows the last ":" when only digits do (an IPv6 literal without a port ends in "]").
  const colon = value.lastIndexOf(':');
  if (colon === -1 || !/^\d*$/.test(value.slice(colon + 1))) return value;
  const port = value.slice(colon + 1);
  return port === '' || port === DEFAULT_PORTS[scheme] ? value.slice(0, colon) : value;
}

/** A message over plain values, for the signer and for tests (field names matched case-insensitively). */
export function messageOf(parts: { method: string; url: string | URL; headers?: Iterable<[string, string]> | Record<string, string | readonly string[]> }): HttpMessage {
  const url = typeof parts.url === 'string' ? new URL(parts.url) : parts.url;
  const lines = new Map<string, string[]>();
  const entries = parts.headers === undefined ? [] : Symbol.iterator in parts.headers ? [...(parts.headers as Iterable<[string, string]>)] : Object.entries(parts.headers);
  for (const [name, value] of entries as [string, string | readonly string[]][]) {
    const key = name.toLowerCase();
    const list = lines.get(key) ?? [];
    for (const v of typeof value === 'string' ? [value] : value) list.push(v);
    lines.set(key, list);
  }
  const scheme = url.protocol.slice(0, -1);
  return {
    method: parts.method,
    scheme,
    authority: url.host,
    target: `${url.pathname}${url.search}`,
    fieldLines: (name) => lines.get(name) ?? [],
  };
}
