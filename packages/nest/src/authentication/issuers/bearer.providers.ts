import { Logger, type Provider } from '@nestjs/common';
import { SecurityEvents } from '../../audit/security-events.service.js';
import { BASTION_CONFIG, type BastionConfig } from '../../core/bastion-config.js';
import { IntrospectionAuthenticator } from '../introspection/introspection.authenticator.js';
import { IntrospectionVerifier } from '../introspection/introspection-verifier.js';
import { DiscoveryDocuments } from '../jwt/discovery-document.js';
import type { IssuerConfig } from '../jwt/jwt-config.js';
import { JwtVerifier } from '../jwt/jwt-verifier.js';
import { JwtAuthenticator } from '../jwt/jwt.authenticator.js';
import { AccessTokenVerifier } from './access-token-verifier.js';

function warnClosedWindows(configs: readonly IssuerConfig[], logger: Logger): void {
  for (const c of configs) {
    if (c.legacy && c.legacy.until <= Date.now()) logger.warn(`"${c.path}.legacy" ended on ${new Date(c.legacy.until).toISOString()}; tokens without iss/aud are refused again — remove the option`);
  }
}

/**
 * Providers of bearer authentication over the trust list resolved at boot (`BastionConfig.issuers`,
 * from `jwt` or `issuers`): the verifiers (each `null` when nothing of its kind is configured), the
 * {@link AccessTokenVerifier} other credentials use to check an access token, and one authenticator per
 * credential (`jwt`, `introspection`; `null` when not configured).
 */
export const BEARER_PROVIDERS: Provider[] = [
  { provide: DiscoveryDocuments, useFactory: () => new DiscoveryDocuments() },
  {
    provide: JwtVerifier,
    useFactory: (config: BastionConfig, discovery: DiscoveryDocuments) => {
      if (!config.issuers.some((c) => c.source !== undefined)) return null;
      const logger = new Logger('BastionJwt');
      warnClosedWindows(config.issuers, logger);
      return new JwtVerifier(config.issuers, { discovery, warn: (message) => logger.warn(message) });
    },
    inject: [BASTION_CONFIG, DiscoveryDocuments],
  },
  {
    provide: IntrospectionVerifier,
    useFactory: (config: BastionConfig, discovery: DiscoveryDocuments) => {
      if (!config.issuers.some((c) => c.introspection !== undefined)) return null;
      const logger = new Logger('BastionIntrospection');
      return new IntrospectionVerifier(config.issuers, { discovery, warn: (message) => logger.warn(message) });
    },
    inject: [BASTION_CONFIG, DiscoveryDocuments],
  },
  {
    provide: AccessTokenVerifier,
    useFactory: (config: BastionConfig, jwt: JwtVerifier | null, introspection: IntrospectionVerifier | null) =>
      jwt || introspection ? new AccessTokenVerifier(jwt, introspection, config.issuers) : null,
    inject: [BASTION_CONFIG, JwtVerifier, IntrospectionVerifier],
  },
  {
    provide: JwtAuthenticator,
    useFactory: (verifier: AccessTokenVerifier | null, events: SecurityEvents) => (verifier?.jwt ? new JwtAuthenticator(verifier, events) : null),
    inject: [AccessTokenVerifier, SecurityEvents],
  },
  {
    provide: IntrospectionAuthenticator,
    useFactory: (verifier: AccessTokenVerifier | null, events: SecurityEvents) => (verifier?.introspection ? new IntrospectionAuthenticator(verifier, events) : null),
    inject: [AccessTokenVerifier, SecurityEvents],
  },
];
