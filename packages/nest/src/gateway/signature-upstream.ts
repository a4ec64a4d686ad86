import { BastionConfigError } from '../options/assert.js';
import { SIGNATURE_ALGORITHMS } from '../authentication/signature/algorithms.js';
import { RequestSigner, type RequestSignerOptions } from '../authentication/signature/request-signer.js';
import type { UpstreamCredential, UpstreamRequest } from './upstream-credential.js';

/** The `RequestSigner` options `signatureUpstream()` takes: key, key id and algorithm, plus the signer's optional settings. */
export type SignatureUpstreamOptions = RequestSignerOptions;

class SignatureUpstream implements UpstreamCredential {
  readonly needsBody = true;
  readonly signsTarget = true;
  private signer: RequestSigner | undefined;

  constructor(private readonly options: SignatureUpstreamOptions) {}

  validate(path: string): void {
    const o = this.options as Partial<SignatureUpstreamOptions> | null;
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
