import type { Provider } from '@nestjs/common';
import { SecurityEvents } from '../../audit/security-events.service.js';
import { BASTION_OPTIONS } from '../../core/constants.js';
import { trustedProxiesOf } from '../../net/client-address.js';
import type { BastionOptions } from '../../options/bastion-options.interface.js';
import type { RedisStore } from '../../stores/redis.store.js';
import { BASTION_STORE, type BastionStore } from '../../stores/store.interface.js';
import { refuseUnconfigured } from '../credential-check.js';
import { CREDENTIAL_COMBINATIONS } from '../credential-combinations.js';
import { SignatureVerifier } from '../signature/signature-verifier.js';
import { resolveApiKeyOptions } from './api-key-config.js';
import { API_KEY_STORE } from './api-key-store.js';
import { ApiKeyVerifier } from './api-key-verifier.js';
import { ApiKeyAuthenticator } from './api-key.authenticator.js';
import { ApiKeys } from './api-keys.service.js';
import { KeyBoundSignatureAuthenticator } from './key-bound-signature.authenticator.js';
import { MemoryApiKeyStore } from './memory-api-key.store.js';
import { RedisApiKeyStore } from './redis-api-key.store.js';

const configOf = (options: BastionOptions) => resolveApiKeyOptions(options.apiKey, { storeType: options.store?.type });

/**
 * Providers of API keys: the key store (`API_KEY_STORE`), the {@link ApiKeys} service, the `api-key`
 * authenticator, and the API key + signature combination — each null when `apiKey` is not configured
 * (boot stops if a boundary names `api-key` then).
 */
export const API_KEY_PROVIDERS: Provider[] = [
  {
    provide: API_KEY_STORE,
    useFactory: (options: BastionOptions, store: BastionStore) => {
      refuseUnconfigured(options, 'api-key', options.apiKey !== undefined, 'apiKey');
      const config = configOf(options);
      if (!config) return null;
      if (config.store === 'memory') return new MemoryApiKeyStore(config.seed);
      if (config.store === 'redis') return new RedisApiKeyStore((store as RedisStore).client, options.store?.type === 'redis' ? options.store.keyPrefix : undefined);
      return config.store;
    },
    inject: [BASTION_OPTIONS, BASTION_STORE],
  },
  {
    provide: ApiKeys,
    useFactory: (options: BastionOptions, store: ConstructorParameters<typeof ApiKeys>[0] | null, events: SecurityEvents) =>
      store ? new ApiKeys(store, configOf(options)!, (event) => events.emit(event)) : null,
    inject: [BASTION_OPTIONS, API_KEY_STORE, SecurityEvents],
  },
  {
    provide: ApiKeyAuthenticator,
    useFactory: (options: BastionOptions, store: ConstructorParameters<typeof ApiKeyVerifier>[0] | null) =>
      store ? new ApiKeyAuthenticator(new ApiKeyVerifier(store), configOf(options)!.header, trustedProxiesOf(options)) : null,
    inject: [BASTION_OPTIONS, API_KEY_STORE],
  },
  {
    provide: KeyBoundSignatureAuthenticator,
    useFactory: (apiKeys: ApiKeyAuthenticator | null, signatures: SignatureVerifier | null, options: BastionOptions) =>
      apiKeys && signatures ? new KeyBoundSignatureAuthenticator(apiKeys, signatures, trustedProxiesOf(options)) : null,
    inject: [ApiKeyAuthenticator, SignatureVerifier, BASTION_OPTIONS],
  },
  {
    provide: CREDENTIAL_COMBINATIONS,
    useFactory: (...combinations: unknown[]) => combinations.filter(Boolean),
    inject: [KeyBoundSignatureAuthenticator],
  },
];
