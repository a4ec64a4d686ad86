import type { JsonWebKey, KeyObject } from 'node:crypto';
import { BastionConfigError } from '../options/assert.js';
import { SIGNATURE_ALGORITHMS } from '../authentication/signature/algorithms.js';
import { RequestSigner } from '../authentication/signature/request-signer.js';
import type { UpstreamCredential, UpstreamRequest } from './upstream-credential.js';

/**
 * Options of {@link signatureUpstream}: the gateway's key and the `RequestSigner` settings that leave what
 * is covered as Bastion upstreams require it.
 */
export interface SignatureUpstreamOptions {
  /** Key id the upstream looks the gateway's key up by (`keyid`). */
  keyid: string;
  /** The key's RFC 9421 algorithm. */
  alg: 'hmac-sha256' | 'ed25519' | 'ecdsa-p256-sha256' | 'rsa-pss-sha512' | 'rsa-v1_5-sha256';
  /** Private key (PEM, JWK, `KeyObject`) or, for `hmac-sha256`, the shared secret (≥ 32 bytes; bytes or base64 text). */
  key: KeyObject | string | JsonWebKey | Uint8Array;
  /** Signature label. Default `'sig1'`. */
  label?: string;
  /** Add a random `nonce` (16 bytes, base64url). Default `true`. */
  nonce?: boolean;
  /** Add the `alg` parameter. Default `true`. */
  includeAlg?: boolean;
  /** Add `expires` this many seconds after `created`. Default: none. */
  expiresIn?: number;
  /** `tag` parameter (an application profile). Default: none. */
  tag?: string;
}

class SignatureUpstream implements UpstreamCredential {
  readonly needsBody = true;
  readonly signsTarget = true;
  private signer: RequestSigner | undefined;

  constructor(private readonly options: SignatureUpstreamOptions) {}

  validate(path: string): void {
    // Checked as untyped: JavaScript callers can pass anything, including signer settings this credential fixes.
    const o = this.options as (Partial<SignatureUpstreamOptions> & { digest?: unknown; components?: unknown }) | null;
    if (o === null || typeof o !== 'object') throw new BastionConfigError(path, 'signatureUpstream() needs { keyid, alg, key }');
    if (!SIGNATURE_ALGORITHMS.includes(o.alg as never)) throw new BastionConfigError(`${path}.alg`, `must be one of ${SIGNATURE_ALGORITHMS.join(', ')}`);
    // Bastion's verifier requires Content-Digest on every request with a body: without it each one is refused.
    if (o.digest === false) throw new BastionConfigError(`${path}.digest`, 'cannot be false: upstreams require Content-Digest on requests with a body');
    if (o.components !== undefined) throw new BastionConfigError(`${path}.components`, 'is fixed for upstream calls (@method, @target-uri, content-digest and content-type with a body)');
    try {
      this.signer = new RequestSigner(this.options);
    } catch (error) {
      // The signer's messages name the field, never the key material.
      throw new BastionConfigError(path, error instanceof Error ? error.message : 'is not a valid signing key');
    }
  }

  async headersFor(request: UpstreamRequest): Promise<Readonly<Record<string, string>>> {
    this.signer ??= new RequestSigner(this.options);
    return { ...this.signer.sign({ method: request.method, url: request.url, headers: request.headers, body: request.body }) };
  }
}

/**
 * An {@link UpstreamCredential} that signs every upstream request with the gateway's key: RFC 9421
 * `Signature-Input`/`Signature` over `@method` and `@target-uri` with `created`, `keyid`, `alg` and a
 * random `nonce`, plus RFC 9530 `Content-Digest` (sha-256) covered with `content-type` when there is a
 * body — what a Bastion upstream's `signature` credential requires by default. Because the digest needs
 * the whole body before the first byte goes out, the gateway reads request bodies of these upstreams
 * into memory up to `maxRequestBytes` (413 beyond) and sends those exact bytes; responses still stream.
 * The options are checked at boot (a bad key stops the app, naming `gateway.upstreams.<name>.credential`).
 *
 * @example
 * ```ts
 * credential: signatureUpstream({ keyid: 'gateway-2026-01', alg: 'ed25519', key: process.env.GATEWAY_SIGNING_KEY_PEM! })
 * ```
 */
export function signatureUpstream(options: SignatureUpstreamOptions): UpstreamCredential {
  return new SignatureUpstream(options);
}
