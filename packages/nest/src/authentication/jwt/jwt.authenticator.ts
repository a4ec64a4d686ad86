import type { Authenticator } from '../../core/authenticator.js';
import type { BastionRequest } from '../../core/http-request.js';
import type { Principal } from '../../core/principal.js';
import { InvalidTokenException } from '../../errors/bastion.exception.js';
import { isBearerPresented } from '../bearer-token.js';
import type { BastionJwtStrategy, JwtFailure } from './jwt.strategy.js';

/**
 * The bearer-JWT authenticator the authentication guard calls. It runs {@link BastionJwtStrategy} the
 * way Passport does (a per-request object with `success`/`fail`/`error`), but without Passport's global
 * registry, so two apps in one process keep their own strategies. Every rejection becomes the same
 * `InvalidTokenException` (401 `invalid_token`) carrying the precise reason and the claimed subject.
 */
export class JwtAuthenticator implements Authenticator {
  readonly credential = 'jwt' as const;

  constructor(private readonly strategy: BastionJwtStrategy) {}

  isPresented(req: BastionRequest): boolean {
    return isBearerPresented(req);
  }

  authenticate(req: BastionRequest): Promise<Principal> {
    return new Promise<Principal>((resolve, reject) => {
      const attempt = Object.create(this.strategy) as BastionJwtStrategy & Record<string, unknown>;
      attempt.success = (user: unknown) => resolve(user as Principal);
      attempt.fail = (challenge: unknown) => reject(toException(challenge));
      attempt.error = (error: unknown) => reject(error);
      attempt.pass = () => reject(new InvalidTokenException('ERR_CREDENTIAL_MISSING'));
      attempt.redirect = () => reject(new InvalidTokenException('ERR_CREDENTIAL_MISSING'));
      try {
        attempt.authenticate(req);
      } catch (error) {
        reject(error);
      }
    });
  }
}

function toException(challenge: unknown): InvalidTokenException {
  const failure = challenge as Partial<JwtFailure> | undefined;
  const exception = new InvalidTokenException(failure?.rejection?.reason ?? 'ERR_CREDENTIAL_MISSING', failure?.rejection);
  // Unverified, for per-identity failure counting only; never used as an identity.
  if (failure?.claimedSubject !== undefined) Object.assign(exception, { claimed: { subject: failure.claimedSubject } });
  return exception;
}
