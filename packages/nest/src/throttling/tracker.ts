import { createHash } from 'node:crypto';
import { isTokenCredential, type Principal } from '../core/principal.js';
import type { RateLimit, ResolvedThrottleOptions } from './throttle-options.js';

/**
 * Throttle tracker of an authenticated principal: the OAuth client when the credential names one (so
 * every token of one client shares a budget), else the subject (user, API key id, signing key id). The
 * issuer is part of it, so equal subjects from two issuers never share a budget. Hashed: trackers end up
 * as store keys and must not carry identifiers in clear.
 */
export function principalTracker(principal: Principal): string {
  const iss = typeof principal.claims?.iss === 'string' ? principal.claims.iss : '';
  const who = principal.clientId ? `client:${principal.clientId}` : `sub:${principal.subject}`;
  return `p:${digest(`${isTokenCredential(principal.credential) ? 'token' : principal.credential}|${iss}|${who}`)}`;
}

/** Throttle tracker of an anonymous caller: its resolved client IP (IPv6 grouped per /64 by the caller). */
export function ipTracker(ip: string): string {
  return `ip:${ip}`;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 32);
}

/** The budget that applies, and where it came from (for the policy name and the store key). */
export interface Budget extends RateLimit {
  source: 'boundary' | 'scope' | 'principal' | 'anonymous';
}

/**
 * Picks the budget of a request: a route in a trust boundary with its own budget uses that; otherwise an
 * authenticated principal gets the largest budget among its scopes that have one, never less than the
 * principal default; anonymous callers get the anonymous budget.
 */
export function selectBudget(options: ResolvedThrottleOptions, principal: Principal | undefined, boundary: string | undefined): Budget {
  const byBoundary = boundary !== undefined ? options.boundaries[boundary] : undefined;
  if (byBoundary) return { ...byBoundary, source: 'boundary' };
  if (!principal) return { ...options.anonymous, source: 'anonymous' };
  let best: Budget = { ...options.principal, source: 'principal' };
  for (const scope of principal.scopes) {
    const byScope = options.scopes[scope];
    if (byScope && byScope.limit / byScope.ttl > best.limit / best.ttl) best = { ...byScope, source: 'scope' };
  }
  return best;
}
