const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const MAX_URI_LENGTH = 8192;

/** RFC 3986 §6.2.2.1–2: hex digits of percent-encodings in upper case, unreserved characters decoded. */
function normalizePercentEncoding(path: string): string {
  return path.replace(/%([0-9A-Fa-f]{2})/g, (_match, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

/**
 * The form in which a `htu` and the request URI are compared (RFC 9449 §4.3): an absolute `http`/`https`
 * URI without query and fragment, after syntax-based normalisation (RFC 3986 §6.2.2: scheme and host in
 * lower case, percent-encodings normalised, dot segments removed) and scheme-based normalisation
 * (§6.2.3: default port dropped, empty path as `/`). `undefined` for anything else (relative references,
 * other schemes, userinfo, which RFC 9110 §4.2.4 forbids in http(s) URIs).
 */
export function normalizeHtu(value: string): string | undefined {
  if (value.length > MAX_URI_LENGTH) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  return `${url.protocol}//${url.host}${normalizePercentEncoding(url.pathname)}`;
}

/**
 * The URIs a proof for this request may name: each accepted origin followed by the request's path (the
 * request target without its query). An absolute-form target (RFC 9112 §3.2.2) contributes its path only.
 */
export function requestHtus(origins: readonly string[], target: string): string[] {
  let path = target;
  if (!path.startsWith('/')) {
    const absolute = normalizeHtu(target);
    if (absolute === undefined) return [];
    path = new URL(absolute).pathname;
  }
  const q = path.search(/[?#]/);
  if (q !== -1) path = path.slice(0, q);
  const out: string[] = [];
  for (const origin of origins) {
    const uri = normalizeHtu(`${origin}${path}`);
    if (uri !== undefined) out.push(uri);
  }
  return out;
}
