import { Logger, type Provider } from '@nestjs/common';
import { SecurityEvents } from '../../audit/security-events.service.js';
import { BASTION_OPTIONS } from '../../core/constants.js';
import type { BastionOptions } from '../../options/bastion-options.interface.js';
import { IntrospectionAuthenticator } from '../introspection/introspection.authenticator.js';
import { IntrospectionVerifier } from '../introspection/introspection-verifier.js';
import { DiscoveryDocuments } from '../jwt/discovery-document.js';
import type { IssuerConfig } from '../jwt/jwt-config.js';
import { JwtVerifier } from '../jwt/jwt-verifier.js';
import { JwtAuthenticator } from '../jwt/jwt.authenticator.js';
import { AccessTokenVerifier } from './access-token-verifier.js';
import { resolveIssuers } from './resolve-issuers.js';

/** Injection token of the resolved trust list (`IssuerConfig[]`, empty when no issuer is configured). */
export const ISSUER_CONFIGS = Symbol('BASTION_ISSUER_CONFIGS');

function warnClosedWindows(configs: readonly IssuerConfig[], logger: Logger): void {
  for (const c of configs) {
    if (c.legacy && c.legacy.until <= Date.now()) logger.warn(`"${c.path}.legacy" ended on ${new Date(c.legacy.until).toISOString()}; tokens without iss/aud are refused again — remove the option`);
  }
}

/**
 * Providers of bearer authentication over the trust list (`jwt` or `issuers`): the verifiers (each
 * `null` when nothing of its kind is configured), the {@link AccessTokenVerifier} other credentials use
 * to check an access token, and one authenticator per credential (`jwt`, `introspection`; `null` ones
 * are filtered out of AUTHENTICATORS).
 */
export const BEARER_PROVIDERS: Provider[] = [
  {
    provide: ISSUER_CONFIGS,
    useFactory: (options: BastionOptions) => {
      const configs = resolveIssuers(options);
      warnClosedWindows(configs, new Logger('BastionJwt'));
      return configs;
    },
    inject: [BASTION_OPTIONS],
  },
  { provide: DiscoveryDocuments, useFactory: () => new DiscoveryDocuments() },
  {
    provide: JwtVerifier,
    useFactory: (configs: IssuerConfig[], discovery: DiscoveryDocuments) => {
      if (!configs.some((c) => c.source !== undefined)) return null;
      const logger = new Logger('BastionJwt');
      return new JwtVerifier(configs, { discovery, warn: (message) => logger.warn(message) });
    },
    inject: [ISSUER_CONFIGS, DiscoveryDocuments],
  },
  {
    provide: IntrospectionVerifier,
    useFactory: (configs: IssuerConfig[], discovery: DiscoveryDocuments) => {
      if (!configs.some((c) => c.introspection !== undefined)) return null;
      const logger = new Logger('BastionIntrospection');
      return new IntrospectionVerifier(configs, { discovery, warn: (message) => logger.warn(message) });
    },
    inject: [ISSUER_CONFIGS, DiscoveryDocuments],
  },
  {
    provide: AccessTokenVerifier,
    useFactory: (configs: IssuerConfig[], jwt: JwtVerifier | null, introspection: IntrospectionVerifier | null) =>
      jwt || introspection ? new AccessTokenVerifier(jwt, introspection, configs) : null,
    inject: [ISSUER_CONFIGS, JwtVerifier, IntrospectionVerifier],
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
