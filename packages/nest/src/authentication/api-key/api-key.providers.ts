import type { Provider } from '@nestjs/common';
import { SecurityEvents } from '../../audit/security-events.service.js';
import { BASTION_CONFIG, type BastionConfig } from '../../core/bastion-config.js';
import { RedisSecurityStore } from '../../stores/redis-security.store.js';
import { BASTION_SECURITY_STATE, type SecurityStateStore } from '../../stores/security-state.interface.js';
import { CREDENTIAL_COMBINATIONS } from '../credential-combinations.js';
import { SignatureVerifier } from '../signature/signature-verifier.js';
import { ApiKeySigningKeys } from './api-key-signing-keys.js';
import { API_KEY_STORE, type ApiKeyStore } from './api-key-store.js';
import { ApiKeyVerifier } from './api-key-verifier.js';
import { ApiKeyAuthenticator } from './api-key.authenticator.js';
import { ApiKeys } from './api-keys.service.js';
import { KeyBoundSignatureAuthenticator } from './key-bound-signature.authenticator.js';
import { MemoryApiKeyStore } from './memory-api-key.store.js';
import { RedisApiKeyStore } from './redis-api-key.store.js';

/** The configured key store: memory, your own, or the Redis that holds security state (never evicted). */
function apiKeyStoreOf(config: BastionConfig, security: SecurityStateStore): ApiKeyStore | null {
  const settings = config.apiKey;
  if (!settings) return null;
  if (settings.store === 'memory') return new MemoryApiKeyStore(settings.seed);
  if (settings.store !== 'redis') return settings.store;
  // Key records must never be evicted: they live on the Redis checked for `noeviction` at boot.
  if (!(security instanceof RedisSecurityStore)) throw new Error('apiKey.store "redis" without a Redis security store');
  return new RedisApiKeyStore(security.client, config.store?.type === 'redis' ? config.store.keyPrefix : undefined);
}

/**
 * Providers of API keys: the key store (`API_KEY_STORE`), the cache of imported signing keys, the
 * {@link ApiKeys} service, the `api-key` authenticator, and the API key + signature combination — each
 * null when `apiKey` is not configured.
 */
export const API_KEY_PROVIDERS: Provider[] = [
  { provide: API_KEY_STORE, useFactory: apiKeyStoreOf, inject: [BASTION_CONFIG, BASTION_SECURITY_STATE] },
  {
    provide: ApiKeySigningKeys,
    useFactory: (store: ApiKeyStore | null) => (store ? new ApiKeySigningKeys(store) : null),
    inject: [API_KEY_STORE],
  },
  {
    provide: ApiKeys,
    useFactory: (config: BastionConfig, store: ApiKeyStore | null, signingKeys: ApiKeySigningKeys | null, events: SecurityEvents) =>
      store ? new ApiKeys(store, config.apiKey!, (event) => events.emit(event), { onRevoked: (id) => signingKeys?.forget(id) }) : null,
    inject: [BASTION_CONFIG, API_KEY_STORE, ApiKeySigningKeys, SecurityEvents],
  },
  {
    provide: ApiKeyAuthenticator,
    useFactory: (config: BastionConfig, store: ApiKeyStore | null) => (store ? new ApiKeyAuthenticator(new ApiKeyVerifier(store), config.apiKey!.header) : null),
    inject: [BASTION_CONFIG, API_KEY_STORE],
  },
  {
    provide: KeyBoundSignatureAuthenticator,
    useFactory: (apiKeys: ApiKeyAuthenticator | null, signatures: SignatureVerifier | null, signingKeys: ApiKeySigningKeys | null) =>
      apiKeys && signatures && signingKeys ? new KeyBoundSignatureAuthenticator(apiKeys, signatures, signingKeys) : null,
    inject: [ApiKeyAuthenticator, SignatureVerifier, ApiKeySigningKeys],
  },
  { provide: CREDENTIAL_COMBINATIONS, useFactory: (...combinations: unknown[]) => combinations.filter(Boolean), inject: [KeyBoundSignatureAuthenticator] },
];
