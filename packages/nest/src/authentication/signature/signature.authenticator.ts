import type { Authenticator } from '../../core/authenticator.js';
import type { Principal } from '../../core/principal.js';
import type { RequestContext } from '../../core/request-context.js';
import type { DescribesOpenApi, OpenApiScheme } from '../../openapi/security-requirements.js';
import { signatureException } from './signature-exception.js';
import { signaturePrincipal } from './signature-principal.js';
import { isSignaturePresented, signedRequestOf } from './signature-request.js';
import type { SignatureVerifier } from './signature-verifier.js';

/**
 * RFC 9421 has no OpenAPI security scheme type: it is described as the header it travels in, and its
 * requirement carries no scopes (OpenAPI allows them only on oauth2/openIdConnect).
 */
export const SIGNATURE_SCHEME: OpenApiScheme = {
  name: 'httpSignature',
  scoped: false,
  scheme: { type: 'apiKey', in: 'header', name: 'Signature', description: 'HTTP Message Signatures (RFC 9421): Signature and Signature-Input, with Content-Digest (RFC 9530) over any body' },
};

/**
 * The `signature` credential: a request signed per RFC 9421 with a key of the key ring. A thin adapter
 * over {@link SignatureVerifier}; the request is read by `signedRequestOf`.
 */
export class SignatureAuthenticator implements Authenticator, DescribesOpenApi {
  readonly credential = 'signature' as const;

  constructor(private readonly verifier: SignatureVerifier) {}

  isPresented(ctx: RequestContext): boolean {
    return isSignaturePresented(ctx);
  }

  async authenticate(ctx: RequestContext): Promise<Principal> {
    try {
      return signaturePrincipal(await this.verifier.verify(signedRequestOf(ctx)));
    } catch (error) {
      throw signatureException(error);
    }
  }

  openApiSchemes(): readonly OpenApiScheme[] {
    return [SIGNATURE_SCHEME];
  }
}
