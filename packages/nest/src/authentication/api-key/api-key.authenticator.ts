import type { Authenticator } from '../../core/authenticator.js';
import type { BastionRequest } from '../../core/http-request.js';
import type { Principal } from '../../core/principal.js';
import { clientAddressOf } from '../../net/client-address.js';
import type { TrustedProxies } from '../../net/trusted-proxies.js';
import { apiKeyException } from './api-key-exception.js';
import { apiKeyPrincipal } from './api-key-principal.js';
import { isApiKeyPresented, presentedApiKey } from './api-key-request.js';
import type { ApiKeyRecord } from './api-key-record.js';
import type { ApiKeyVerifier } from './api-key-verifier.js';

/**
 * The `api-key` credential: `Authorization: ApiKey <key>` or the configured header, checked against the
 * key store with the client address resolved through the trusted proxies. A thin adapter over
 * {@link ApiKeyVerifier}.
 */
export class ApiKeyAuthenticator implements Authenticator {
  readonly credential = 'api-key' as const;

  constructor(
    private readonly verifier: ApiKeyVerifier,
    /** Lower-case name of the header that may carry the key. */
    readonly header: string,
    private readonly trusted: TrustedProxies,
  ) {}

  isPresented(req: BastionRequest): boolean {
    return isApiKeyPresented(req, this.header);
  }

  /** The verified record of the presented key (for credentials combined with it). */
  async record(req: BastionRequest): Promise<ApiKeyRecord> {
    try {
      return await this.verifier.verify(presentedApiKey(req, this.header), clientAddressOf(req, this.trusted).ip);
    } catch (error) {
      throw apiKeyException(error);
    }
  }

  async authenticate(req: BastionRequest): Promise<Principal> {
    return apiKeyPrincipal(await this.record(req));
  }
}
