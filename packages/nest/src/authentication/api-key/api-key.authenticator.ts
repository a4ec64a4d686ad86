import type { Authenticator } from '../../core/authenticator.js';
import type { Principal } from '../../core/principal.js';
import type { RequestContext } from '../../core/request-context.js';
import type { DescribesOpenApi, OpenApiScheme } from '../../openapi/security-requirements.js';
import { apiKeyException } from './api-key-exception.js';
import { apiKeyPrincipal } from './api-key-principal.js';
import type { ApiKeyRecord } from './api-key-record.js';
import { isApiKeyPresented, presentedApiKey } from './api-key-request.js';
import type { ApiKeyVerifier } from './api-key-verifier.js';

/**
 * The `api-key` credential: `Authorization: ApiKey <key>` or the configured header, checked against the
 * key store with the client address resolved through the trusted proxies. A thin adapter over
 * {@link ApiKeyVerifier}.
 */
export class ApiKeyAuthenticator implements Authenticator, DescribesOpenApi {
  readonly credential = 'api-key' as const;

  constructor(
    private readonly verifier: ApiKeyVerifier,
    /** Lower-case name of the header that may carry the key. */
    readonly header: string,
  ) {}

  isPresented(ctx: RequestContext): boolean {
    return isApiKeyPresented(ctx, this.header);
  }

  /** The verified record of the presented key (for credentials combined with it). */
  async record(ctx: RequestContext): Promise<ApiKeyRecord> {
    try {
      return await this.verifier.verify(presentedApiKey(ctx, this.header), ctx.client.ip);
    } catch (error) {
      throw apiKeyException(error);
    }
  }

  async authenticate(ctx: RequestContext): Promise<Principal> {
    return apiKeyPrincipal(await this.record(ctx));
  }

  /** An `apiKey` scheme in the configured header (OpenAPI cannot express the `Authorization: ApiKey` alternative but in words). */
  openApiSchemes(): readonly OpenApiScheme[] {
    return [
      {
        name: 'apiKey',
        scoped: false,
        scheme: { type: 'apiKey', in: 'header', name: this.header, description: `Bastion API key (bst_…), in ${this.header} or as Authorization: ApiKey <key>` },
      },
    ];
  }
}
