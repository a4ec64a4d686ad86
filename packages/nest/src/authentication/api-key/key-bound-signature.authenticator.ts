import type { BastionRequest } from '../../core/http-request.js';
import type { Principal } from '../../core/principal.js';
import { InvalidTokenException } from '../../errors/bastion.exception.js';
import type { TrustedProxies } from '../../net/trusted-proxies.js';
import type { CombinedAuthenticator } from '../credential-combinations.js';
import { signatureException } from '../signature/signature-exception.js';
import { signatureClaims } from '../signature/signature-principal.js';
import { isSignaturePresented, signedRequestOf } from '../signature/signature-request.js';
import type { SignatureVerifier } from '../signature/signature-verifier.js';
import type { ApiKeyAuthenticator } from './api-key.authenticator.js';
import { apiKeyPrincipal } from './api-key-principal.js';
import { signingKeyOf } from './api-key-signing-keys.js';

/**
 * An API key and an RFC 9421 signature together: the key names the caller, the signature proves
 * possession of the signing key registered with that API key and protects the request's integrity. The
 * signature must be by `keyid` = the API key's id, verified with that key's signing key only (never a
 * key from elsewhere). The principal is the API key's owner, with `combined: ['api-key', 'signature']`.
 */
export class KeyBoundSignatureAuthenticator implements CombinedAuthenticator {
  readonly credential = 'api-key' as const;
  readonly credentials = ['api-key', 'signature'] as const;

  constructor(
    private readonly apiKeys: ApiKeyAuthenticator,
    private readonly signatures: SignatureVerifier,
    private readonly trusted: TrustedProxies,
  ) {}

  isPresented(req: BastionRequest): boolean {
    return this.apiKeys.isPresented(req) && isSignaturePresented(req);
  }

  async authenticate(req: BastionRequest): Promise<Principal> {
    const record = await this.apiKeys.record(req);
    const key = signingKeyOf(record);
    if (!key) {
      throw Object.assign(new InvalidTokenException('ERR_API_KEY_NO_SIGNING_KEY'), { event: 'api-key.invalid', claimed: { keyId: record.id, credential: 'api-key' } });
    }
    let verified;
    try {
      verified = await this.signatures.verify(signedRequestOf(req, this.trusted), { keyid: record.id, keys: { find: async (id) => (id === record.id ? key : undefined) } });
    } catch (error) {
      throw signatureException(error);
    }
    const principal = apiKeyPrincipal(record);
    return { ...principal, combined: this.credentials, claims: { ...principal.claims, signature: signatureClaims(verified) } };
  }
}
