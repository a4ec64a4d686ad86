// Percent-encoded characters whose decoding could change which path a router or upstream sees:
// `/` (%2f), `.` (%2e), `\` (%5c), `%` itself (%25: double encoding) and NUL.
const AMBIGUOUS_ESCAPE = /%(?:2f|2e|5c|25|00)/i;

/**
 * True when a request path is safe to forward as is: no `.` or `..` segment, no empty segment, no
 * backslash, no percent-encoded slash, dot, backslash, percent or NUL, no control character. Applied
 * to the raw path before any route matches, so no decoding on the way (router, upstream, its
 * framework) can turn it into a different path than the one authorised.
 */
export function isSafeGatewayPath(path: string): boolean {
  if (!path.startsWith('/')) return false;
  if (path.includes('\\') || AMBIGUOUS_ESCAPE.test(path)) return false;
  // RFC 3986 §3.3: control characters and spaces are not path characters.
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return false;
  }
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i]!;
    // RFC 3986 §5.2.4: `.` and `..` segments are removed by dot-segment normalisation downstream.
    if (segment === '.' || segment === '..') return false;
    // An empty segment (`//`) only at the very end is a trailing slash.
    if (segment === '' && i !== segments.length - 1) return false;
  }
  return true;
}

/** The path of a request target, without its query. */
export function pathOf(target: string): string {
  const q = target.indexOf('?');
  return q === -1 ? target : target.slice(0, q);
}

/** True when `path` is `prefix` or below it (`prefix/…`), ignoring case as Express's router does. */
export function underPrefix(path: string, prefix: string): boolean {
  const lower = path.toLowerCase();
  return lower === prefix || lower.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
}
