import type { Provider } from '@nestjs/common';
import { SecurityEvents } from '../audit/security-events.service.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import { BASTION_SECURITY_STATE, rememberOnce, type SecurityStateStore } from '../stores/security-state.interface.js';
import { DpopNonces } from './dpop/dpop-nonces.js';
import { DpopAuthenticator } from './dpop/dpop.authenticator.js';
import { AccessTokenVerifier } from './issuers/access-token-verifier.js';
import { MtlsAuthenticator } from './mtls/mtls.authenticator.js';
import { SenderConstraintCheck, certificateHeaderIgnored } from './sender-constraint.check.js';

/**
 * Providers of sender-constrained credentials: the DPoP and mutual-TLS authenticators (null when `dpop`
 * or `mtls` is not configured; listed in `builtin-authenticators.ts`) and the post-verification check of
 * bound tokens, which runs whatever is configured.
 */
export const SENDER_CONSTRAINT_PROVIDERS: Provider[] = [
  {
    provide: DpopAuthenticator,
    useFactory: (config: BastionConfig, verifier: AccessTokenVerifier | null, security: SecurityStateStore) => {
      // `dpop` without a trust list is refused at boot; null here only mirrors that.
      if (!config.dpop || !verifier) return null;
      const rotation = config.dpop.nonceRotationMs;
      return new DpopAuthenticator(config.dpop, {
        verifyToken: (token) => verifier.verify(token),
        rememberOnce: (key, ttlMs) => rememberOnce(security, key, ttlMs),
        nonces: rotation === undefined ? undefined : new DpopNonces(security, rotation),
      });
    },
    inject: [BASTION_CONFIG, AccessTokenVerifier, BASTION_SECURITY_STATE],
  },
  {
    provide: MtlsAuthenticator,
    useFactory: (config: BastionConfig, events: SecurityEvents) =>
      config.mtls ? new MtlsAuthenticator(config.mtls, (ctx, header) => certificateHeaderIgnored(events, ctx, header)) : null,
    inject: [BASTION_CONFIG, SecurityEvents],
  },
  SenderConstraintCheck,
];
