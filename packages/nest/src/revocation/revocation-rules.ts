/**
 * Framework-free rules behind revocation and token-lifetime checks: store keys, cut-off comparison and
 * lifetime limits. The Nest services are thin adapters over these.
 */

import { isTokenCredential, type Principal } from '../core/principal.js';

export type RevocationScope = 'jti' | 'sub' | 'client';

/** Security-state key (kind `revocation`) for one revoked token id, subject cut-off or client cut-off. Values are escaped. */
export function revocationKey(scope: RevocationScope, id: string): string {
  return `${scope}:${encodeURIComponent(id)}`;
}

/** The revocation keys one principal's check reads: its token id, and for tokens its subject and client cut-offs. */
export interface RevocationKeys {
  readonly jti: string | undefined;
  readonly sub: string | undefined;
  readonly client: string | undefined;
}

interface KeptKeys extends RevocationKeys {
  readonly of: Pick<Principal, 'tokenId' | 'subject' | 'clientId' | 'credential'>;
}

// Per verified claim set: a cached token's principals share its frozen claims object, so a reused token
// escapes its ids once, not per request. Weak: an entry goes with the claims (no bound needed).
const KEPT = new WeakMap<object, KeptKeys>();

/**
 * The keys {@link RevocationKeys} of `principal`. Subject and client cut-offs apply to tokens (JWT,
 * introspection, DPoP), whose `iat` says when they were issued.
 */
export function revocationKeysOf(principal: Principal): RevocationKeys {
  const claims = principal.claims as object | undefined;
  const kept = claims ? KEPT.get(claims) : undefined;
  // The same claims under other principal fields (another credential type) get their own keys.
  if (kept && kept.of.tokenId === principal.tokenId && kept.of.subject === principal.subject && kept.of.clientId === principal.clientId && kept.of.credential === principal.credential) return kept;
  const token = isTokenCredential(principal.credential);
  const keys: KeptKeys = {
    jti: principal.tokenId ? revocationKey('jti', principal.tokenId) : undefined,
    sub: token ? revocationKey('sub', principal.subject) : undefined,
    client: token && principal.clientId ? revocationKey('client', principal.clientId) : undefined,
    of: { tokenId: principal.tokenId, subject: principal.subject, clientId: principal.clientId, credential: principal.credential },
  };
  if (claims && typeof claims === 'object') KEPT.set(claims, keys);
  return keys;
}

/**
 * A token is cut off when it was issued at or before the cut-off second, give or take the issuer's clock
 * skew: verification accepts an `iat` up to `skewSeconds` in the future, so an issuer whose clock runs
 * that much ahead stamps tokens minted before the cut-off with an `iat` up to `skewSeconds` after it —
 * those are refused too (fail closed: a token minted just after the cut-off may be refused for that
 * long). `iat` has one-second resolution, so the cut-off second itself is refused; a token without `iat`
 * cannot prove it is newer and is refused.
 */
export function isCutOff(cutoffSeconds: number, iat: unknown, skewSeconds = 0): boolean {
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return true;
  return iat <= cutoffSeconds + skewSeconds;
}

/** Parses a stored cut-off (epoch seconds as a string); a corrupt value counts as "now" (fail closed). */
export function parseCutoff(stored: string, nowSeconds: number): number {
  const n = Number(stored);
  return Number.isFinite(n) ? n : nowSeconds;
}

/**
 * The reason a token breaks the lifetime rules, or `undefined`. `maxLifetime` in seconds; `now` in ms.
 * `exp` missing is the JWT verifier's concern (it refuses such tokens), so it is not judged here.
 */
export function lifetimeViolation(
  claims: Readonly<Record<string, unknown>>,
  rules: { maxLifetime: number | false; requireJti: boolean },
  now: number,
  tokenId?: string,
): 'ERR_TOKEN_LIFETIME' | 'ERR_TOKEN_ID_MISSING' | undefined {
  if (rules.requireJti && !tokenId && (typeof claims.jti !== 'string' || claims.jti === '')) return 'ERR_TOKEN_ID_MISSING';
  if (rules.maxLifetime === false) return undefined;
  const { exp, iat } = claims;
  if (typeof exp !== 'number') return undefined;
  const lifetime = typeof iat === 'number' ? exp - iat : exp - now / 1000;
  return lifetime > rules.maxLifetime ? 'ERR_TOKEN_LIFETIME' : undefined;
}

/**
 * Milliseconds a revoked `jti` must stay listed: until the token expires, plus clock tolerance (the
 * verifier accepts a token up to its issuer's tolerance past `exp`, so `toleranceSeconds` must be at
 * least the largest issuer tolerance).
 */
export function jtiRetentionMs(expiresAt: Date | number | undefined, fallbackSeconds: number, toleranceSeconds: number, now: number): number {
  const exp = expiresAt instanceof Date ? expiresAt.getTime() : typeof expiresAt === 'number' ? expiresAt * 1000 : undefined;
  const until = exp ?? now + fallbackSeconds * 1000;
  return Math.max(until - now, 0) + toleranceSeconds * 1000;
}

/**
 * Milliseconds a subject/client cut-off set `now` for tokens issued up to `beforeMs` must be kept: every
 * token it refuses has `iat ≤ cut-off + tolerance`, `exp ≤ iat + lifetime`, and is accepted up to
 * `tolerance` past `exp` — so until the cut-off plus the lifetime plus twice the tolerance.
 */
export function cutoffRetentionMs(beforeMs: number, lifetimeSeconds: number, toleranceSeconds: number, now: number): number {
  return Math.max(beforeMs - now, 0) + (lifetimeSeconds + 2 * toleranceSeconds) * 1000;
}
