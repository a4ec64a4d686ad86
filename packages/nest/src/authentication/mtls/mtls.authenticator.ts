import type { Authenticator } from '../../core/authenticator.js';
import type { Principal } from '../../core/principal.js';
import type { RequestContext } from '../../core/request-context.js';
import { InvalidTokenException } from '../../errors/bastion.exception.js';
import { supportsMutualTls, type DescribesOpenApi, type OpenApiScheme, type OpenApiSchemeOptions, type OpenApiTarget } from '../../openapi/security-requirements.js';
import { clientCertificateOf, type CertificateEvidence } from './client-certificate.js';
import { matchClient } from './client-matcher.js';
import { certificateSubject, formatDistinguishedName } from './distinguished-name.js';
import type { MtlsConfig } from './mtls-config.js';

/**
 * The mutual-TLS authenticator (RFC 8705 §2): the client certificate of the connection — or the one a
 * trusted proxy forwards — identifies a configured client, which becomes the principal (credential
 * `mtls`). A request that also carries an `Authorization` header is a token request: its certificate only
 * binds the token (`cnf.x5t#S256`), checked after the token is verified.
 */
export class MtlsAuthenticator implements Authenticator, DescribesOpenApi {
  readonly credential = 'mtls' as const;

  constructor(
    private readonly config: MtlsConfig,
    /** Called once per request whose forwarded certificate header came from an untrusted peer. */
    private readonly onIgnored: (ctx: RequestContext, header: string) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  isPresented(ctx: RequestContext): boolean {
    const evidence = this.evidence(ctx);
    if (evidence.status !== 'present' && evidence.status !== 'malformed') return false;
    return ctx.headerLines('authorization').length === 0;
  }

  async authenticate(ctx: RequestContext): Promise<Principal> {
    const evidence = this.evidence(ctx);
    if (evidence.status === 'malformed') throw new InvalidTokenException('ERR_CERTIFICATE_MALFORMED');
    if (evidence.status !== 'present') throw new InvalidTokenException('ERR_CREDENTIAL_MISSING');
    const presented = evidence.presented;
    const result = matchClient(presented, this.config, this.now());
    if ('rejection' in result) {
      // The thumbprint identifies the certificate in the audit log; the certificate itself never goes there.
      throw Object.assign(new InvalidTokenException(result.rejection), { claimed: { keyId: presented.thumbprint, credential: 'mtls' } });
    }
    const { client } = result;
    const subject = certificateSubject(presented.certificate.subject);
    return {
      subject: client.clientId,
      clientId: client.clientId,
      scopes: new Set(client.scopes),
      roles: new Set(client.roles),
      credential: 'mtls',
      // The thumbprint is the certificate's id: `RevocationService.revokeToken(tokenId)` revokes this certificate.
      tokenId: presented.thumbprint,
      expiresAt: new Date(presented.certificate.validTo),
      claims: Object.freeze({
        client_id: client.clientId,
        'x5t#S256': presented.thumbprint,
        ...(subject && subject.length > 0 ? { subject_dn: formatDistinguishedName(subject) } : {}),
      }),
    };
  }

  /**
   * OpenAPI 3.1 §4.8.27 `mutualTLS`; OpenAPI 3.0 has no such type, so a 3.0 document names the credential
   * under the operation's `x-bastion.credentials` instead of declaring a scheme it would not understand.
   */
  openApiSchemes(_options?: OpenApiSchemeOptions, document?: OpenApiTarget): readonly OpenApiScheme[] {
    if (!supportsMutualTls(document?.openapi)) return [];
    return [{ name: 'mutualTLS', scoped: false, scheme: { type: 'mutualTLS', description: 'Client certificate (mutual TLS, RFC 8705)' } }];
  }

  private evidence(ctx: RequestContext): CertificateEvidence {
    return clientCertificateOf(ctx, this.config, (header) => this.onIgnored(ctx, header));
  }
}
