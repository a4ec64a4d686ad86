import { reject } from './jwt-errors.js';
import type { IssuerConfig } from './jwt-config.js';

type Claims = Readonly<Record<string, unknown>>;

const isNumericDate = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** RFC 7519 §4.1 claim types: a claim of the wrong type is a malformed token, not a missing one. */
function checkTypes(claims: Claims): void {
  for (const name of ['iss', 'sub', 'jti', 'client_id', 'azp', 'scope'] as const) {
    if (claims[name] !== undefined && typeof claims[name] !== 'string') reject('ERR_CLAIM_INVALID', `${name} is not a string`);
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
 * `exp` is required here; `nbf` and `iat` honoured with the clock tolerance; `iat` in the future refused.
 */
export function checkTimes(claims: Claims, config: IssuerConfig, now: number): void {
  const tolerance = config.clockTolerance;
  const { exp, nbf, iat } = claims as { exp?: number; nbf?: number; iat?: number };
  if (exp === undefined) reject('ERR_EXPIRY_MISSING');
  if (now - tolerance >= exp) reject('ERR_TOKEN_EXPIRED');
  if (nbf !== undefined && nbf > now + tolerance) reject('ERR_TOKEN_NOT_YET_VALID');
  if (iat !== undefined && iat > now + tolerance) reject('ERR_TOKEN_ISSUED_IN_FUTURE');
  if (config.maxTokenAge !== undefined) {
    if (iat === undefined) reject('ERR_CLAIM_INVALID', 'iat required by maxTokenAge');
    if (now - iat > config.maxTokenAge + tolerance) reject('ERR_TOKEN_TOO_OLD');
  }
}

/**
 * Every claim check of a freshly verified token (the issuer is already matched). Throws `JwtRejection`.
 */
export function checkClaims(claims: Claims, typ: string | undefined, config: IssuerConfig, now: number): void {
  checkTypes(claims);
  const aud = claims.aud;
  if (aud === undefined || (Array.isArray(aud) && aud.length === 0)) reject('ERR_AUDIENCE_MISSING');
  const audiences = typeof aud === 'string' ? [aud] : (aud as string[]);
  if (!audiences.some((a) => config.audiences.has(a))) reject('ERR_AUDIENCE_MISMATCH');
  checkTimes(claims, config, now);
  if (config.rfc9068) {
    // RFC 9068 §2.1/§2.2 and §4: typ at+jwt and the required claims.
    if (typ !== 'at+jwt') reject('ERR_PROFILE_VIOLATION', 'typ is not at+jwt');
    for (const name of ['sub', 'client_id', 'iat', 'jti'] as const) {
      if (claims[name] === undefined) reject('ERR_PROFILE_VIOLATION', `${name} missing`);
    }
  }
}
