import type { CorsOptions } from './transport-options.js';

/** What a request says about itself, for CORS (Fetch standard §3.2). */
export interface CorsRequest {
  origin: string | undefined;
  method: string;
  /** `Access-Control-Request-Method` (present only on a preflight). */
  requestMethod: string | undefined;
  /** `Access-Control-Request-Headers`. */
  requestHeaders: string | undefined;
}

/** The CORS response: whether it is a preflight to answer now, and the headers to add. */
export interface CorsDecision {
  preflight: boolean;
  allowed: boolean;
  headers: Record<string, string>;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `https://*.example.com` matches exactly one DNS label in place of `*`; anything else is compared exactly. */
export function originMatches(origin: string, pattern: string | RegExp): boolean {
  if (pattern instanceof RegExp) {
    pattern.lastIndex = 0;
    return pattern.test(origin);
  }
  if (pattern === '*') return true;
  if (!pattern.includes('*')) return origin === pattern.toLowerCase().replace(/\/+$/, '');
  const source = `^${pattern.toLowerCase().split('*').map(escapeRegExp).join('[a-z0-9-]+')}$`;
  return new RegExp(source).test(origin);
}

/**
 * Decides the CORS headers for a request. A disallowed origin gets none at all, so the browser blocks
 * the read; an allowed one gets its own origin echoed (never `*` with credentials, Fetch §3.2.5) and
 * `Vary: Origin` so caches keep answers per origin.
 */
export function corsDecision(req: CorsRequest, policy: Required<CorsOptions>): CorsDecision {
  const preflight = req.method === 'OPTIONS' && req.origin !== undefined && req.requestMethod !== undefined;
  const headers: Record<string, string> = { Vary: 'Origin' };
  // `null` (sandboxed frames, file:) is an opaque origin: never allow it by pattern.
  const origin = req.origin?.toLowerCase();
  const allowed = origin !== undefined && origin !== 'null' && policy.origins.some((p) => originMatches(origin, p));
  if (!allowed) return { preflight, allowed, headers };
  const wildcard = !policy.credentials && policy.origins.includes('*');
  headers['Access-Control-Allow-Origin'] = wildcard ? '*' : req.origin!;
  if (policy.credentials) headers['Access-Control-Allow-Credentials'] = 'true';
  if (preflight) {
    headers['Access-Control-Allow-Methods'] = policy.methods.join(', ');
    headers['Access-Control-Allow-Headers'] = policy.allowedHeaders.join(', ');
    headers['Access-Control-Max-Age'] = String(policy.maxAge);
  } else if (policy.exposedHeaders.length > 0) {
    headers['Access-Control-Expose-Headers'] = policy.exposedHeaders.join(', ');
  }
  return { preflight, allowed, headers };
}
