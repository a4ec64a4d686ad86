import type { Principal } from '../../core/principal.js';
import type { RequestContext } from '../../core/request-context.js';
import { InvalidTokenException } from '../../errors/bastion.exception.js';
import type { CombinedAuthenticator } from '../credential-combinations.js';
import { signatureException } from '../signature/signature-exception.js';
import { signatureClaims } from '../signature/signature-principal.js';
import { signedRequestOf } from '../signature/signature-request.js';
import type { SignatureVerifier } from '../signature/signature-verifier.js';
import type { ApiKeyAuthenticator } from './api-key.authenticator.js';
import { apiKeyPrincipal } from './api-key-principal.js';
import type { ApiKeySigningKeys } from './api-key-signing-keys.js';

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
    private readonly signingKeys: ApiKeySigningKeys,
  ) {}

  async authenticate(ctx: RequestContext): Promise<Principal> {
    const record = await this.apiKeys.record(ctx);
    if (!record.signingKey) {
      throw Object.assign(new InvalidTokenException('ERR_API_KEY_NO_SIGNING_KEY'), { event: 'api-key.invalid', claimed: { keyId: record.id, credential: 'api-key' } });
    }
    let verified;
    try {
      verified = await this.signatures.verify(signedRequestOf(ctx), { keyid: record.id, keys: { find: async (id) => (id === record.id ? this.signingKeys.of(record) : undefined) } });
    } catch (error) {
      throw signatureException(error);
    }
    const principal = apiKeyPrincipal(record);
    return { ...principal, combined: this.credentials, claims: { ...principal.claims, signature: signatureClaims(verified) } };
  }
}
