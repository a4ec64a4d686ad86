import type { Authenticator } from '../../core/authenticator.js';
import { rawHeaderValues, type BastionRequest } from '../../core/http-request.js';
import type { Principal } from '../../core/principal.js';
import { InvalidTokenException } from '../../errors/bastion.exception.js';
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
export class MtlsAuthenticator implements Authenticator {
  readonly credential = 'mtls' as const;

  constructor(
    private readonly config: MtlsConfig,
    /** Called once per request whose forwarded certificate header came from an untrusted peer. */
    private readonly onIgnored: (req: BastionRequest, header: string) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  isPresented(req: BastionRequest): boolean {
    const evidence = this.evidence(req);
    if (evidence.status !== 'present' && evidence.status !== 'malformed') return false;
    return rawHeaderValues(req, 'authorization').length === 0 && req.headers.authorization === undefined;
  }

  async authenticate(req: BastionRequest): Promise<Principal> {
    const evidence = this.evidence(req);
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

  private evidence(req: BastionRequest): CertificateEvidence {
    return clientCertificateOf(req, this.config, (header) => this.onIgnored(req, header));
  }
}
