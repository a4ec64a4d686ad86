import { createHash } from 'node:crypto';
import { isTokenCredential, type Principal } from '../core/principal.js';
import type { PrincipalKey, RateLimit, ResolvedThrottleOptions } from './throttle-options.js';

/**
 * Throttle tracker of an authenticated principal (`throttle.principalKey`). `'subject'`: the subject
 * (user, API key id, signing key id), except a client-credentials token — no subject of its own, or a
 * subject equal to its client id — which counts per client; so the users of one app never share one
 * budget. `'client'`: the OAuth client whenever the credential names one. A function: its result (a
 * failing or empty result falls back to `'subject'`). The issuer is part of the built-in keys, so equal
 * subjects from two issuers never share a budget. Hashed: trackers end up as store keys and must not
 * carry identifiers in clear.
 */
export function principalTracker(principal: Principal, key: PrincipalKey = 'subject'): string {
  if (typeof key === 'function') {
    let custom: unknown;
    try {
      custom = key(principal);
    } catch {
      custom = undefined;
    }
    if (typeof custom === 'string' && custom !== '') return `p:${digest(`custom|${custom}`)}`;
  }
  const iss = typeof principal.claims?.iss === 'string' ? principal.claims.iss : '';
  const client = principal.clientId !== undefined && (key === 'client' || principal.subject === principal.clientId);
  const who = client ? `client:${principal.clientId}` : `sub:${principal.subject}`;
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
