import type { Provider } from '@nestjs/common';
import { BASTION_OPTIONS } from '../../core/constants.js';
import { trustedProxiesOf } from '../../net/client-address.js';
import type { BastionOptions } from '../../options/bastion-options.interface.js';
import { BASTION_STORE, type BastionStore } from '../../stores/store.interface.js';
import { ApiKeySignatureKeys } from '../api-key/api-key-signing-keys.js';
import { API_KEY_STORE, type ApiKeyStore } from '../api-key/api-key-store.js';
import { refuseUnconfigured } from '../credential-check.js';
import { rememberOnce } from './remember-once.js';
import { resolveSignatureOptions } from './signature-config.js';
import { SignatureVerifier } from './signature-verifier.js';
import { SignatureAuthenticator } from './signature.authenticator.js';

/**
 * Providers of RFC 9421 signed requests: the {@link SignatureVerifier} (null when `signature` is not
 * configured; boot stops if a boundary names `signature` then) and its authenticator (null likewise).
 */
export const SIGNATURE_PROVIDERS: Provider[] = [
  {
    provide: SignatureVerifier,
    useFactory: (options: BastionOptions, store: BastionStore, apiKeyStore: ApiKeyStore | null) => {
      refuseUnconfigured(options, 'signature', options.signature !== undefined, 'signature');
      const config = resolveSignatureOptions(options.signature);
      if (!config) return null;
      const keys = config.keySource === 'api-keys' ? new ApiKeySignatureKeys(apiKeyStore!) : config.keySource;
      return new SignatureVerifier(config, keys, { rememberOnce: (key, ttlMs) => rememberOnce(store, key, ttlMs) });
    },
    inject: [BASTION_OPTIONS, BASTION_STORE, API_KEY_STORE],
  },
  {
    provide: SignatureAuthenticator,
    useFactory: (verifier: SignatureVerifier | null, options: BastionOptions) => (verifier ? new SignatureAuthenticator(verifier, trustedProxiesOf(options)) : null),
    inject: [SignatureVerifier, BASTION_OPTIONS],
  },
];
