import { LruCache } from '../authentication/jwt/token-cache.js';
import { sha256 } from '../core/sha256.js';
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
  const claims = principal.claims as object | undefined;
  const kept = claims ? KEPT.get(claims) : undefined;
  if (kept && kept.key === key && kept.subject === principal.subject && kept.clientId === principal.clientId && kept.credential === principal.credential) return kept.tracker;
  const iss = typeof principal.claims?.iss === 'string' ? principal.claims.iss : '';
  const client = principal.clientId !== undefined && (key === 'client' || principal.subject === principal.clientId);
  const who = client ? `client:${principal.clientId}` : `sub:${principal.subject}`;
  const input = `${isTokenCredential(principal.credential) ? 'token' : principal.credential}|${iss}|${who}`;
  // A new claim set of a known principal (its next token) finds the digest here instead of hashing again.
  let tracker = DIGESTS.get(input);
  if (tracker === undefined) DIGESTS.set(input, (tracker = `p:${digest(input)}`), Infinity);
  if (claims && typeof claims === 'object' && typeof key === 'string') KEPT.set(claims, { key, subject: principal.subject, clientId: principal.clientId, credential: principal.credential, tracker });
  return tracker;
}

interface KeptTracker extends Pick<Principal, 'subject' | 'clientId' | 'credential'> {
  readonly key: 'subject' | 'client';
  readonly tracker: string;
}

// Per verified claim set (a cached token's principals share its frozen claims object, and `iss` is read
// from it): a reused token's tracker is hashed once, not per request. Weak: it goes with the claims.
const KEPT = new WeakMap<object, KeptTracker>();
/** Trackers of recent principals by what they hash (bounded: about 1 MB at most; only a memo). */
const DIGESTS = new LruCache<string>(8_192);

/** Throttle tracker of an anonymous caller: its resolved client IP (IPv6 grouped per /64 by the caller). */
export function ipTracker(ip: string): string {
  return `ip:${ip}`;
}

function digest(text: string): string {
  return sha256(text).slice(0, 32);
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
  if (byBoundary) return budgetOf(byBoundary, 'boundary');
  if (!principal) return budgetOf(options.anonymous, 'anonymous');
  let best = budgetOf(options.principal, 'principal');
  for (const scope of principal.scopes) {
    const byScope = options.scopes[scope];
    if (byScope && byScope.limit / byScope.ttl > best.limit / best.ttl) best = budgetOf(byScope, 'scope');
  }
  return best;
}

// One frozen budget per configured limit and source, built on first use (the options are resolved once at boot).
const BUDGETS: Record<Budget['source'], WeakMap<RateLimit, Readonly<Budget>>> = { boundary: new WeakMap(), scope: new WeakMap(), principal: new WeakMap(), anonymous: new WeakMap() };

function budgetOf(limit: RateLimit, source: Budget['source']): Budget {
  let budget = BUDGETS[source].get(limit);
  if (!budget) BUDGETS[source].set(limit, (budget = Object.freeze({ ...limit, source })));
  return budget;
}
