/**
 * Internal reasons a DPoP request is refused. They go to the security event and the audit log, never to
 * the client: on the wire the response is a 401 whose `WWW-Authenticate: DPoP` challenge carries only the
 * RFC 9449 error (`invalid_dpop_proof`, `invalid_token`, `use_dpop_nonce`), or a 400 `invalid_request`.
 */
export const DPOP_REJECTION_REASONS = [
  'ERR_DPOP_PROOF_MISSING',
  'ERR_DPOP_PROOF_REPEATED',
  'ERR_DPOP_TOKEN_MALFORMED',
  'ERR_DPOP_PROOF_INVALID',
  'ERR_DPOP_TYPE_REJECTED',
  'ERR_DPOP_ALGORITHM_REJECTED',
  'ERR_DPOP_KEY_INVALID',
  'ERR_DPOP_KEY_PRIVATE',
  'ERR_DPOP_SIGNATURE_INVALID',
  'ERR_DPOP_METHOD_MISMATCH',
  'ERR_DPOP_URI_MISMATCH',
  'ERR_DPOP_PROOF_TOO_OLD',
  'ERR_DPOP_PROOF_ISSUED_IN_FUTURE',
  'ERR_DPOP_JTI_MISSING',
  'ERR_DPOP_ATH_MISMATCH',
  'ERR_DPOP_NONCE_REQUIRED',
  'ERR_DPOP_NONCE_UNAVAILABLE',
  'ERR_DPOP_REPLAYED',
  'ERR_DPOP_REPLAY_UNAVAILABLE',
  'ERR_DPOP_TOKEN_UNBOUND',
  'ERR_DPOP_BINDING_MISMATCH',
  'ERR_DPOP_BOUND_AS_BEARER',
  'ERR_DPOP_REQUIRED',
  'ERR_DPOP_DISABLED',
] as const;

/** One of {@link DPOP_REJECTION_REASONS}. */
export type DpopRejectionReason = (typeof DPOP_REJECTION_REASONS)[number];

/**
 * What the rejection is about, which decides the RFC 9449 §7.1 error: the proof (`invalid_dpop_proof`),
 * the token or its binding (`invalid_token`), a missing or stale nonce (`use_dpop_nonce`), or a malformed
 * request (400 `invalid_request`).
 */
export type DpopRejectionKind = 'proof' | 'token' | 'nonce' | 'request';

const KIND: Partial<Record<DpopRejectionReason, DpopRejectionKind>> = {
  ERR_DPOP_PROOF_REPEATED: 'request',
  ERR_DPOP_TOKEN_MALFORMED: 'request',
  ERR_DPOP_NONCE_REQUIRED: 'nonce',
  ERR_DPOP_NONCE_UNAVAILABLE: 'token',
  ERR_DPOP_REPLAY_UNAVAILABLE: 'token',
  ERR_DPOP_TOKEN_UNBOUND: 'token',
  ERR_DPOP_BINDING_MISMATCH: 'token',
  ERR_DPOP_BOUND_AS_BEARER: 'token',
  ERR_DPOP_REQUIRED: 'token',
  ERR_DPOP_DISABLED: 'token',
};

/** Framework-free rejection raised by the DPoP modules; the authenticator turns it into the HTTP answer. */
export class DpopRejection extends Error {
  readonly reason: DpopRejectionReason;
  readonly kind: DpopRejectionKind;

  constructor(reason: DpopRejectionReason, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'DpopRejection';
    this.reason = reason;
    this.kind = KIND[reason] ?? 'proof';
  }
}

/** Throws the {@link DpopRejection} for `reason`. */
export function rejectDpop(reason: DpopRejectionReason, cause?: unknown): never {
  throw new DpopRejection(reason, cause === undefined ? undefined : { cause });
}
