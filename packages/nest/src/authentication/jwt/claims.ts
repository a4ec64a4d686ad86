import { reject } from './jwt-errors.js';
import type { IssuerConfig } from './jwt-config.js';
import { legacyAccepts } from './legacy-window.js';

type Claims = Readonly<Record<string, unknown>>;

const isNumericDate = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** An integer `sub` as some apps sign it (`{ sub: user.id }`), accepted only when the issuer allows it. */
export function isNumericSubject(sub: unknown): sub is number {
  return typeof sub === 'number' && Number.isSafeInteger(sub) && sub >= 0;
}

/**
 * RFC 7519 §4.1 (and RFC 7662 §2.2) claim types: a claim of the wrong type is a malformed token, not a
 * missing one.
 */
export function checkTypes(claims: Claims, config: Pick<IssuerConfig, 'claims'>): void {
  for (const name of ['iss', 'sub', 'jti', 'client_id', 'azp', 'scope'] as const) {
    if (claims[name] === undefined || typeof claims[name] === 'string') continue;
    if (name === 'sub' && config.claims.acceptNumericSubject && isNumericSubject(claims.sub)) continue;
    reject('ERR_CLAIM_INVALID', `${name} is not a string`);
  }
  for (const name of ['exp', 'nbf', 'iat'] as const) {
    if (claims[name] !== undefined && !isNumericDate(claims[name])) reject('ERR_CLAIM_INVALID', `${name} is not a number`);
  }
  const aud = claims.aud;
  if (aud !== undefined && typeof aud !== 'string' && !(Array.isArray(aud) && aud.every((a) => typeof a === 'string'))) {
    reject('ERR_CLAIM_INVALID', 'aud is not a string or array of strings');
  }
  const scp = claims.scp;
  if (scp !== undefined && typeof scp !== 'string' && !(Array.isArray(scp) && scp.every((s) => typeof s === 'string'))) {
    reject('ERR_CLAIM_INVALID', 'scp is not a string array');
  }
}

/**
 * Time checks, run on every use of a token including cache hits. `now` in seconds. RFC 7519 §4.1.4:
 * `exp` is required for JWTs (`requireExp`); `nbf` and `iat` honoured with the clock tolerance; `iat` in
 * the future refused.
 */
export function checkTimes(claims: Claims, config: IssuerConfig, now: number, requireExp = true): void {
  const tolerance = config.clockTolerance;
  const { exp, nbf, iat } = claims as { exp?: number; nbf?: number; iat?: number };
  if (exp === undefined) {
    if (requireExp) reject('ERR_EXPIRY_MISSING');
  } else if (now - tolerance >= exp) reject('ERR_TOKEN_EXPIRED');
  if (nbf !== undefined && nbf > now + tolerance) reject('ERR_TOKEN_NOT_YET_VALID');
  if (iat !== undefined && iat > now + tolerance) reject('ERR_TOKEN_ISSUED_IN_FUTURE');
  if (config.maxTokenAge !== undefined) {
    if (iat === undefined) reject('ERR_CLAIM_INVALID', 'iat required by maxTokenAge');
    if (now - iat > config.maxTokenAge + tolerance) reject('ERR_TOKEN_TOO_OLD');
  }
}

/**
 * The audience check (RFC 7519 §4.1.3): the token must name one of the issuer's audiences. A token without
 * `aud` passes only inside the issuer's legacy window; returns whether it did.
 */
export function checkAudience(claims: Claims, config: IssuerConfig, nowMs: number, required = true): 'present' | 'legacy' | 'absent' {
  const aud = claims.aud;
  if (aud === undefined || (Array.isArray(aud) && aud.length === 0)) {
    if (legacyAccepts(config.legacy, 'aud', nowMs)) return 'legacy';
    if (required) reject('ERR_AUDIENCE_MISSING');
    return 'absent';
  }
  const audiences = typeof aud === 'string' ? [aud] : (aud as string[]);
  if (!audiences.some((a) => config.audiences.has(a))) reject('ERR_AUDIENCE_MISMATCH');
  return 'present';
}

/**
 * Every claim check of a freshly verified token (the issuer is already matched). Throws `JwtRejection`.
 * Returns `true` when the token passed only because the issuer's legacy window accepts a missing `aud`.
 */
export function checkClaims(claims: Claims, typ: string | undefined, config: IssuerConfig, now: number): boolean {
  checkTypes(claims, config);
  const legacyAudience = checkAudience(claims, config, now * 1000) === 'legacy';
  checkTimes(claims, config, now);
  if (config.rfc9068) {
    // RFC 9068 §2.1/§2.2 and §4: typ at+jwt and the required claims. Some identity providers type their
    // profiled tokens "JWT"; `acceptJwtTyp` tolerates exactly that, nothing else.
    if (typ !== 'at+jwt' && !(config.acceptJwtTyp && typ === 'jwt')) reject('ERR_PROFILE_VIOLATION', 'typ is not at+jwt');
    for (const name of ['sub', 'client_id', 'iat', 'jti'] as const) {
      if (claims[name] === undefined) reject('ERR_PROFILE_VIOLATION', `${name} missing`);
    }
  }
  return legacyAudience;
}
