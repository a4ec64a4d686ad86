import { Logger, type Provider } from '@nestjs/common';
import { BASTION_CONFIG, type BastionConfig } from '../../core/bastion-config.js';
import { JwtVerifier } from './jwt-verifier.js';
import { JwtAuthenticator } from './jwt.authenticator.js';

/**
 * Providers of bearer-JWT authentication: the {@link JwtVerifier} over the issuers resolved at boot
 * (null when `jwt` is not configured) and the {@link JwtAuthenticator} (null likewise).
 */
export const JWT_PROVIDERS: Provider[] = [
  {
    provide: JwtVerifier,
    useFactory: (config: BastionConfig) => {
      if (config.jwt.length === 0) return null;
      const logger = new Logger('BastionJwt');
      return new JwtVerifier(config.jwt, { warn: (message) => logger.warn(message) });
    },
    inject: [BASTION_CONFIG],
  },
  {
    provide: JwtAuthenticator,
    useFactory: (verifier: JwtVerifier | null) => (verifier ? new JwtAuthenticator(verifier) : null),
    inject: [JwtVerifier],
  },
];
