/**
 * Internal reasons a signed request is rejected. They go to the security event (`reason`) and the audit
 * log, never to the client: a malformed `Signature-Input`/`Signature` gets 400 `invalid_request`, every
 * other reason the same 401 `invalid_token`.
 */
export const SIGNATURE_REJECTION_REASONS = [
  /** `Signature-Input`/`Signature` not RFC 8941 dictionaries of the right shape, or over the limits (400). */
  'ERR_SIGNATURE_MALFORMED',
  /** No signature with the expected label (or key id) in the message. */
  'ERR_SIGNATURE_MISSING',
  /** More than one signature could be the caller's: none is chosen. */
  'ERR_SIGNATURE_AMBIGUOUS',
  'ERR_KEYID_MISSING',
  'ERR_KEY_UNKNOWN',
  'ERR_KEY_NOT_YET_VALID',
  'ERR_KEY_EXPIRED',
  'ERR_KEY_REVOKED',
  /** The client address is not on the key's allowed list. */
  'ERR_KEY_ADDRESS',
  /** The key source (your store, the API-key store) could not answer: fail closed. */
  'ERR_KEY_SOURCE_UNAVAILABLE',
  /** `alg` in the signature parameters differs from the key's algorithm. */
  'ERR_ALGORITHM_MISMATCH',
  /** A signature parameter of the wrong type, or `expires` before `created`. */
  'ERR_SIGNATURE_PARAMS',
  'ERR_CREATED_MISSING',
  /** `created` older than `signature.maxAge`. */
  'ERR_SIGNATURE_STALE',
  /** `created` later than now plus the clock tolerance. */
  'ERR_SIGNATURE_FUTURE',
  /** `expires` has passed. */
  'ERR_SIGNATURE_EXPIRED',
  'ERR_NONCE_MISSING',
  'ERR_TAG_MISMATCH',
  /** A required component (`@method`, `@target-uri`…) is not covered. */
  'ERR_COMPONENT_MISSING',
  /** A covered component cannot be derived (unknown, absent header, bad parameters, repeated). */
  'ERR_COMPONENT_INVALID',
  /** The request has a body but `content-digest` is not covered. */
  'ERR_DIGEST_NOT_COVERED',
  'ERR_DIGEST_MISSING',
  'ERR_DIGEST_MALFORMED',
  /** Only algorithms other than sha-256/sha-512 (md5, sha, crc32c…): integrity cannot be checked. */
  'ERR_DIGEST_UNSUPPORTED',
  'ERR_DIGEST_MISMATCH',
  /** The raw body was not captured (`configureBastion(app)` not called, or a parser that drops it). */
  'ERR_DIGEST_UNVERIFIABLE',
  'ERR_SIGNATURE_INVALID',
  'ERR_SIGNATURE_REPLAYED',
  /** The replay store could not answer: fail closed. */
  'ERR_REPLAY_UNAVAILABLE',
] as const;

/** Why a signed request was rejected (the audit event's `reason`). */
export type SignatureRejectionReason = (typeof SIGNATURE_REJECTION_REASONS)[number];

/**
 * Framework-free rejection raised by the signature modules. `detail` is for operators (it may name a
 * component or parameter, never a key or a signature value); `keyId` is the key id the message claimed,
 * when it got that far (unverified: for failure counting and alerts only).
 */
export class SignatureRejection extends Error {
  /** The stable reason code. */
  readonly reason: SignatureRejectionReason;
  /** What exactly (a component or parameter name), for operators; never a key or a signature value. */
  readonly detail: string | undefined;
  /** The key id the message claimed, when known (unverified). */
  keyId: string | undefined;

  constructor(reason: SignatureRejectionReason, detail?: string, options?: { cause?: unknown; keyId?: string }) {
    super(detail ? `${reason}: ${detail}` : reason, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SignatureRejection';
    this.reason = reason;
    this.detail = detail;
    this.keyId = options?.keyId;
  }

  /** True for a structurally malformed message (400 `invalid_request` rather than 401). */
  get malformed(): boolean {
    return this.reason === 'ERR_SIGNATURE_MALFORMED';
  }
}

export function reject(reason: SignatureRejectionReason, detail?: string, options?: { cause?: unknown; keyId?: string }): never {
  throw new SignatureRejection(reason, detail, options);
}
