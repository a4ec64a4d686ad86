/**
 * Internal reasons a bearer token (a JWT, or an opaque token checked by introspection) is rejected. They go to the security event (`reason`) and the audit log,
 * never to the client: every one of them becomes the same 401 `invalid_token` on the wire.
 */
export const JWT_REJECTION_REASONS = [
  'ERR_TOKEN_MALFORMED',
  'ERR_TOKEN_TOO_LARGE',
  'ERR_HEADER_FORBIDDEN',
  'ERR_TYPE_REJECTED',
  'ERR_ALGORITHM_REJECTED',
  'ERR_ISSUER_MISSING',
  'ERR_ISSUER_UNKNOWN',
  'ERR_KEY_UNKNOWN',
  'ERR_KEY_REJECTED',
  'ERR_JWKS_UNAVAILABLE',
  'ERR_SIGNATURE_INVALID',
  'ERR_CLAIM_INVALID',
  'ERR_EXPIRY_MISSING',
  'ERR_TOKEN_EXPIRED',
  'ERR_TOKEN_NOT_YET_VALID',
  'ERR_TOKEN_ISSUED_IN_FUTURE',
  'ERR_TOKEN_TOO_OLD',
  'ERR_AUDIENCE_MISSING',
  'ERR_AUDIENCE_MISMATCH',
  'ERR_SUBJECT_MISSING',
  'ERR_PROFILE_VIOLATION',
  'ERR_KEY_RETIRED',
  // Introspection (RFC 7662): the server said inactive, could not be asked, or answered nonsense.
  'ERR_TOKEN_INACTIVE',
  'ERR_INTROSPECTION_UNAVAILABLE',
  'ERR_INTROSPECTION_RESPONSE_INVALID',
  'ERR_ISSUER_MISMATCH',
] as const;

export type JwtRejectionReason = (typeof JWT_REJECTION_REASONS)[number];

/**
 * Framework-free rejection raised by the JWT modules. `detail` is for operators (it may name a header
 * or claim, never a value from the token); the authenticator turns it into `InvalidTokenException`.
 */
export class JwtRejection extends Error {
  readonly reason: JwtRejectionReason;
  readonly detail: string | undefined;

  constructor(reason: JwtRejectionReason, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${reason}: ${detail}` : reason, options);
    this.name = 'JwtRejection';
    this.reason = reason;
    this.detail = detail;
  }
}

export function reject(reason: JwtRejectionReason, detail?: string, cause?: unknown): never {
  throw new JwtRejection(reason, detail, cause === undefined ? undefined : { cause });
}
