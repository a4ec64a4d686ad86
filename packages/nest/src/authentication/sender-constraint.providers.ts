import type { Provider } from '@nestjs/common';
import { SecurityEvents } from '../audit/security-events.service.js';
import { BASTION_OPTIONS } from '../core/constants.js';
import { trustedProxiesOf } from '../net/client-address.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import { BASTION_STORE, type BastionStore } from '../stores/store.interface.js';
import { dpopConfigOf } from './dpop/dpop-config.js';
import { DpopNonces } from './dpop/dpop-nonces.js';
import { DpopAuthenticator } from './dpop/dpop.authenticator.js';
import { rememberOnce } from './dpop/dpop-replay.js';
import { JwtVerifier } from './jwt/jwt-verifier.js';
import { mtlsConfigOf } from './mtls/mtls-config.js';
import { MtlsAuthenticator } from './mtls/mtls.authenticator.js';
import { SenderConstraintCheck, certificateHeaderIgnored } from './sender-constraint.check.js';

/**
 * Providers of sender-constrained credentials: the DPoP and mutual-TLS authenticators (null when `dpop`
 * or `mtls` is not configured, and filtered out of AUTHENTICATORS) and the post-verification check of
 * bound tokens, which runs whatever is configured.
 */
export const SENDER_CONSTRAINT_PROVIDERS: Provider[] = [
  {
    provide: DpopAuthenticator,
    useFactory: (options: BastionOptions, verifier: JwtVerifier | null, store: BastionStore) => {
      const config = dpopConfigOf(options);
      if (!config || !verifier) return null;
      const nonces = config.nonceRotationMs === undefined ? undefined : new DpopNonces(store, config.nonceRotationMs);
      const deps = { verifyToken: (token: string) => verifier.verify(token), rememberOnce: (key: string, ttlMs: number) => rememberOnce(store, key, ttlMs), nonces };
      return new DpopAuthenticator(config, deps, trustedProxiesOf(options), options);
    },
    inject: [BASTION_OPTIONS, JwtVerifier, BASTION_STORE],
  },
  {
    provide: MtlsAuthenticator,
    useFactory: (options: BastionOptions, events: SecurityEvents) => {
      const config = mtlsConfigOf(options);
      return config ? new MtlsAuthenticator(config, (req, header) => certificateHeaderIgnored(events, req, header)) : null;
    },
    inject: [BASTION_OPTIONS, SecurityEvents],
  },
  SenderConstraintCheck,
];
