import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-jwt';
import type { BastionRequest } from '../../core/http-request.js';
import type { Principal } from '../../core/principal.js';
import { extractBearerToken } from '../bearer-token.js';
import { principalOf, type MappedIdentity } from './claims-principal.js';
import { claimedSubject } from './compact-jws.js';
import { JwtRejection } from './jwt-errors.js';
import type { JwtVerifier } from './jwt-verifier.js';

/** Name under which the strategy registers with Passport (`AuthGuard('bastion-jwt')` works too). */
export const BASTION_JWT_STRATEGY = 'bastion-jwt';

/** What the strategy passes to Passport's `fail()`: the precise reason and the unverified claimed `sub`. */
export interface JwtFailure {
  rejection: JwtRejection;
  claimedSubject: string | undefined;
}

/** The parts of passport-jwt's Strategy and Passport's per-request augmentation the override uses. */
interface PassportJwtRuntime {
  _jwtFromRequest(req: unknown): string | null;
  _verify(payload: unknown, done: (err: unknown, user?: unknown, info?: unknown) => void): void;
  success(user: unknown, info?: unknown): void;
  fail(challenge?: unknown, status?: number): void;
  error(err: unknown): void;
}

/**
 * passport-jwt strategy whose verification is Bastion's. passport-jwt extracts the token
 * (`jwtFromRequest`, here RFC 6750-strict) and hands the result to `validate()` through the
 * `@nestjs/passport` mixin, but its own verification step is the module-global
 * `JwtStrategy.JwtVerifier` (jsonwebtoken with keys from `secretOrKeyProvider`), which cannot be
 * replaced per instance. So `authenticate` is overridden to call {@link JwtVerifier} instead: jose with
 * a pinned algorithm, keys imported once per `kid`, the JWKS cache and the verified-token cache.
 */
export class BastionJwtStrategy extends PassportStrategy(Strategy, BASTION_JWT_STRATEGY) {
  constructor(private readonly verifier: JwtVerifier) {
    super({
      jwtFromRequest: (req: BastionRequest) => extractBearerToken(req) ?? null,
      // Required by passport-jwt's constructor; never called, since `authenticate` below resolves keys.
      secretOrKeyProvider: (_req: unknown, _token: unknown, done: (err: unknown) => void) => done(new Error('unused')),
    });
  }

  /** Called with the verified identity; returns the request's principal. */
  validate(identity: MappedIdentity): Principal {
    return principalOf(identity);
  }

  override authenticate(req: unknown): void {
    const self = this as unknown as PassportJwtRuntime;
    let extracted: string | null;
    try {
      extracted = self._jwtFromRequest(req);
    } catch (error) {
      self.error(error);
      return;
    }
    const token = extracted;
    if (!token) {
      self.fail(undefined, 401);
      return;
    }
    this.verifier.verify(token).then(
      (identity) =>
        self._verify(identity, (err, user, info) => {
          if (err) self.error(err);
          else if (!user) self.fail(info, 401);
          else self.success(user, info);
        }),
      (error: unknown) => {
        const rejection = error instanceof JwtRejection ? error : new JwtRejection('ERR_SIGNATURE_INVALID', 'verifier error', { cause: error });
        const failure: JwtFailure = { rejection, claimedSubject: claimedSubject(token) };
        self.fail(failure, 401);
      },
    );
  }
}
