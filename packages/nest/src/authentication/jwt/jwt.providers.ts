import { Logger, type Provider } from '@nestjs/common';
import { BASTION_OPTIONS } from '../../core/constants.js';
import type { BastionOptions } from '../../options/bastion-options.interface.js';
import { resolveJwtOptions } from './jwt-config.js';
import { JwtVerifier } from './jwt-verifier.js';
import { JwtAuthenticator } from './jwt.authenticator.js';
import { BastionJwtStrategy } from './jwt.strategy.js';

/**
 * Providers of bearer-JWT authentication: the {@link JwtVerifier} (null when `jwt` is not configured)
 * and the {@link JwtAuthenticator} the guard uses (null likewise, and filtered out of AUTHENTICATORS).
 */
export const JWT_PROVIDERS: Provider[] = [
  {
    provide: JwtVerifier,
    useFactory: (options: BastionOptions) => {
      if (options.jwt === undefined) return null;
      const logger = new Logger('BastionJwt');
      return new JwtVerifier(resolveJwtOptions(options.jwt), { warn: (message) => logger.warn(message) });
    },
    inject: [BASTION_OPTIONS],
  },
  {
    provide: JwtAuthenticator,
    useFactory: (verifier: JwtVerifier | null) => (verifier ? new JwtAuthenticator(new BastionJwtStrategy(verifier)) : null),
    inject: [JwtVerifier],
  },
];
