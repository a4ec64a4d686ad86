import type { Authenticator } from '../../core/authenticator.js';
import type { Principal } from '../../core/principal.js';
import type { RequestContext } from '../../core/request-context.js';
import { InvalidTokenException } from '../../errors/bastion.exception.js';
import { BEARER_SCHEME } from '../../openapi/security-requirements.js';
import { extractBearerToken, isBearerPresented } from '../bearer-token.js';
import { principalOf } from './claims-principal.js';
import { claimedSubject } from './compact-jws.js';
import { JwtRejection } from './jwt-errors.js';
import type { JwtVerifier } from './jwt-verifier.js';

/**
 * The bearer-JWT authenticator: the token from `Authorization: Bearer` (RFC 6750-strict), verified by
 * {@link JwtVerifier} (jose, pinned algorithms, cached keys and verified tokens), mapped to a principal.
 * Every rejection becomes the same `InvalidTokenException` (401 `invalid_token`) carrying the precise
 * reason and the claimed subject for the audit log.
 */
export class JwtAuthenticator implements Authenticator {
  readonly credential = 'jwt' as const;
  readonly securityScheme = BEARER_SCHEME;

  constructor(private readonly verifier: JwtVerifier) {}

  isPresented(ctx: RequestContext): boolean {
    return isBearerPresented(ctx);
  }

  async authenticate(ctx: RequestContext): Promise<Principal> {
    const token = extractBearerToken(ctx);
    if (token === undefined) throw new InvalidTokenException('ERR_CREDENTIAL_MISSING');
    try {
      return principalOf(await this.verifier.verify(token));
    } catch (error) {
      const rejection = error instanceof JwtRejection ? error : new JwtRejection('ERR_SIGNATURE_INVALID', 'verifier error', { cause: error });
      const exception = new InvalidTokenException(rejection.reason, rejection);
      // Unverified, for per-identity failure counting only; never used as an identity.
      const subject = claimedSubject(token);
      if (subject !== undefined) Object.assign(exception, { claimed: { subject } });
      throw exception;
    }
  }
}
