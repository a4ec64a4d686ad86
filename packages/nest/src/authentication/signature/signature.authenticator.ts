import type { Authenticator } from '../../core/authenticator.js';
import type { BastionRequest } from '../../core/http-request.js';
import type { Principal } from '../../core/principal.js';
import type { TrustedProxies } from '../../net/trusted-proxies.js';
import { signatureException } from './signature-exception.js';
import { signaturePrincipal } from './signature-principal.js';
import { isSignaturePresented, signedRequestOf } from './signature-request.js';
import type { SignatureVerifier } from './signature-verifier.js';

/**
 * The `signature` credential: a request signed per RFC 9421 with a key of the key ring. A thin adapter
 * over {@link SignatureVerifier}; the request is read by `signedRequestOf`.
 */
export class SignatureAuthenticator implements Authenticator {
  readonly credential = 'signature' as const;

  constructor(
    private readonly verifier: SignatureVerifier,
    private readonly trusted: TrustedProxies,
  ) {}

  isPresented(req: BastionRequest): boolean {
    return isSignaturePresented(req);
  }

  async authenticate(req: BastionRequest): Promise<Principal> {
    try {
      return signaturePrincipal(await this.verifier.verify(signedRequestOf(req, this.trusted)));
    } catch (error) {
      throw signatureException(error);
    }
  }
}
