import type { SignatureKeyOptions, SignatureKeySource } from './signature-keys.js';

/**
 * Alternatives for the components every signature must cover: the default minimum. A signature must
 * cover every component of at least one set; `content-digest` is required on top whenever the request
 * has a body.
 */
export const DEFAULT_REQUIRED_COMPONENTS: readonly (readonly string[])[] = [
  ['@method', '@target-uri'],
  ['@method', '@authority', '@path', '@query'],
];

/**
 * Options of the `signature` credential: RFC 9421 HTTP Message Signatures with RFC 9530 `Content-Digest`.
 * Give the keys either as `keys` or through a `keySource`.
 *
 * @example
 * ```ts
 * signature: {
 *   keys: [{ keyid: 'billing-2026-01', alg: 'ed25519', key: billingPublicKeyPem, owner: 'billing-worker', scopes: ['orders:export'] }],
 *   maxAge: 60,
 * }
 * ```
 */
export interface SignatureOptions {
  /** The key ring: every key callers may sign with (several per caller for rotation). */
  keys?: SignatureKeyOptions[];
  /**
   * Where keys come from instead of `keys`: your own {@link SignatureKeySource}, or `'api-keys'` for the
   * signing keys registered with API keys (`keyid` is then the API key id).
   */
  keySource?: SignatureKeySource | 'api-keys';
  /**
   * Components every signature must cover, as one list or as alternative lists (any one suffices).
   * Each list must cover `@method` and the target (`@target-uri`, or `@authority` with `@request-target`
   * or with `@path` and `@query`). Default {@link DEFAULT_REQUIRED_COMPONENTS}; `content-digest` is
   * always required when the request has a body.
   */
  requiredComponents?: string[] | string[][];
  /** Oldest accepted `created`, in seconds before now; also how long nonces are remembered. Default 300, at most 3,600. */
  maxAge?: number;
  /** Clock difference tolerated on `created` (future) and `expires`, in seconds. Default 5, at most 300. */
  clockTolerance?: number;
  /** Require a `nonce` parameter. Default `false` (without one, the signature value itself is remembered). */
  requireNonce?: boolean;
  /** Only verify the signature with this label. Default: any label (one candidate, chosen by key id). */
  label?: string;
  /** Require this `tag` parameter (RFC 9421 §2.3: an application profile). Default: none. */
  tag?: string;
  /** Parsing bounds. */
  limits?: {
    /** Bytes of `Signature-Input` (and, separately, of `Signature`). Default 8,192. */
    maxFieldBytes?: number;
    /** Signatures per message. Default 8. */
    maxSignatures?: number;
    /** Covered components per signature. Default 32. */
    maxComponents?: number;
  };
}
