/**
 * Internal reasons an API key is rejected. They go to the `api-key.invalid` event and the audit log,
 * never to the client: a key presented the wrong way gets 400 `invalid_request`, every other reason the
 * same 401 `invalid_token`.
 */
export const API_KEY_REJECTION_REASONS = [
  /** In the query string: refused, URLs end up in logs (400). */
  'ERR_API_KEY_IN_QUERY',
  /** Two API keys (two header lines, or header and `Authorization`) (400). */
  'ERR_API_KEY_REPEATED',
  /** Nothing, or more than one token, after `ApiKey` (400). */
  'ERR_API_KEY_SYNTAX',
  /** Not `bst_<id>_<secret><checksum>`, or a wrong checksum. */
  'ERR_API_KEY_MALFORMED',
  'ERR_API_KEY_UNKNOWN',
  /** The id exists, the secret does not match. */
  'ERR_API_KEY_MISMATCH',
  'ERR_API_KEY_REVOKED',
  'ERR_API_KEY_EXPIRED',
  /** The client address is not on the key's allowed list. */
  'ERR_API_KEY_ADDRESS',
  /** The key has no signing key, but the boundary needs a signature made with it. */
  'ERR_API_KEY_NO_SIGNING_KEY',
  /** The key store could not answer: fail closed. */
  'ERR_API_KEY_STORE_UNAVAILABLE',
] as const;

/** Why an API key was rejected (the audit event's `reason`). */
export type ApiKeyRejectionReason = (typeof API_KEY_REJECTION_REASONS)[number];

const REQUEST_ERRORS = new Set<ApiKeyRejectionReason>(['ERR_API_KEY_IN_QUERY', 'ERR_API_KEY_REPEATED', 'ERR_API_KEY_SYNTAX']);

/** Framework-free rejection of an API key; `keyId` is the id the key claimed, when it parsed. */
export class ApiKeyRejection extends Error {
  /** The stable reason code. */
  readonly reason: ApiKeyRejectionReason;
  /** The key id the presented key claimed, when it parsed (unverified). */
  readonly keyId: string | undefined;

  constructor(reason: ApiKeyRejectionReason, options?: { cause?: unknown; keyId?: string }) {
    super(reason, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiKeyRejection';
    this.reason = reason;
    this.keyId = options?.keyId;
  }

  /** True when the key was presented in a malformed way (400 `invalid_request` rather than 401). */
  get malformed(): boolean {
    return REQUEST_ERRORS.has(this.reason);
  }
}
