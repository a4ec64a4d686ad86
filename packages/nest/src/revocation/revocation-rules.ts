/**
 * Framework-free rules behind revocation and token-lifetime checks: store keys, cut-off comparison and
 * lifetime limits. The Nest services are thin adapters over these.
 */

/** Store key prefix of everything revocation writes. */
export const REVOCATION_PREFIX = 'revoked:';

export type RevocationScope = 'jti' | 'sub' | 'client';

/** Store key for one revoked token id, subject cut-off or client cut-off. Values are escaped. */
export function revocationKey(scope: RevocationScope, id: string): string {
  return `${REVOCATION_PREFIX}${scope}:${encodeURIComponent(id)}`;
}

/**
 * A token is cut off when it was issued at or before the cut-off second. `iat` has one-second
 * resolution, so a token issued in the same second as "log out everywhere" is refused too (fail closed);
 * a token without `iat` cannot prove it is newer and is refused.
 */
export function isCutOff(cutoffSeconds: number, iat: unknown): boolean {
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return true;
  return iat <= cutoffSeconds;
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

/** Milliseconds a revoked `jti` must stay listed: until the token expires, plus clock tolerance. */
export function jtiRetentionMs(expiresAt: Date | number | undefined, fallbackSeconds: number, toleranceSeconds: number, now: number): number {
  const exp = expiresAt instanceof Date ? expiresAt.getTime() : typeof expiresAt === 'number' ? expiresAt * 1000 : undefined;
  const until = exp ?? now + fallbackSeconds * 1000;
  return Math.max(until - now, 0) + toleranceSeconds * 1000;
}
