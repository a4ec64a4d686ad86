import { isForbiddenKey } from './forbidden-keys.js';
import { InputRejected } from './input-rejected.js';

/** Bounds on a query string (or an `application/x-www-form-urlencoded` body). */
export interface QueryLimits {
  /** Parameters (`name=value` pairs). Rejected beyond, not silently truncated as `qs` does. */
  maxParameters: number;
  /** Bracket/dot nesting in a parameter name (`a[b][c]` is depth 2). */
  maxDepth: number;
  /** Values of one repeated parameter (`id=1&id=2` is 2). */
  maxArrayLength: number;
}

/** A parsed query: flat, on a null-prototype object; a repeated name gives an array. */
export type ParsedQuery = Record<string, string | string[]>;

function decode(text: string): string {
  try {
    // WHATWG URL: `+` in a query means a space; malformed percent-escapes are a client error, not a 500.
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new InputRejected('ERR_BAD_REQUEST', 'malformed percent-encoding in query');
  }
}

/** `a[b][c]` / `a.b.c` → `['a', 'b', 'c']`: the names any nested parser would create. */
export function keySegments(key: string): string[] {
  return key.split(/[[\].]+/).filter((s) => s !== '');
}

/**
 * Parses a query string flat (the Express 5 "simple" and Fastify semantics, so both adapters agree)
 * and rejects, instead of silently dropping, what nested parsers are exploited with: names that reach a
 * prototype (`__proto__`, `constructor`, `prototype`, also as `a[__proto__]` or `a.constructor`),
 * excessive nesting, too many parameters and over-long repeated parameters.
 */
export function parseQueryString(raw: string | null | undefined, limits: QueryLimits): ParsedQuery {
  const query: ParsedQuery = Object.create(null);
  if (typeof raw !== 'string' || raw === '') return query;
  const pairs = raw.split('&').filter((p) => p !== '');
  if (pairs.length > limits.maxParameters) throw new InputRejected('ERR_BAD_REQUEST', `query over ${limits.maxParameters} parameters`);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    if (key === '') continue;
    const segments = keySegments(key);
    if (segments.some(isForbiddenKey)) throw new InputRejected('ERR_BAD_REQUEST', 'forbidden key in query');
    if (segments.length - 1 > limits.maxDepth) throw new InputRejected('ERR_BAD_REQUEST', `query nesting over ${limits.maxDepth}`);
    const existing = query[key];
    if (existing === undefined) {
      query[key] = value;
    } else if (Array.isArray(existing)) {
      if (existing.length >= limits.maxArrayLength) throw new InputRejected('ERR_BAD_REQUEST', `query array over ${limits.maxArrayLength}`);
      existing.push(value);
    } else {
      query[key] = [existing, value];
    }
  }
  return query;
}

/** The query part of a request target (after the first `?`, before any `#`). */
export function rawQueryOf(url: string | undefined): string {
  if (!url) return '';
  const q = url.indexOf('?');
  if (q === -1) return '';
  const hash = url.indexOf('#', q);
  return url.slice(q + 1, hash === -1 ? undefined : hash);
}
