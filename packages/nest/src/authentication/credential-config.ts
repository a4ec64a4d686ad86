import { BastionConfigError } from '../options/assert.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import { resolveApiKeyOptions, type ApiKeyConfig } from './api-key/api-key-config.js';
import { resolveSignatureOptions, type SignatureConfig } from './signature/signature-config.js';

/** The `signature` and `apiKey` options, resolved (each `undefined` when not set). */
export interface CredentialConfigs {
  readonly signature: SignatureConfig | undefined;
  readonly apiKey: ApiKeyConfig | undefined;
}

/**
 * Validates `signature` and `apiKey` (and how they refer to each other) once at boot and applies their
 * defaults; throws `BastionConfigError` naming the option.
 */
export function resolveCredentialConfigs(options: Pick<BastionOptions, 'signature' | 'apiKey' | 'store'>): CredentialConfigs {
  const signature = resolveSignatureOptions(options.signature);
  const apiKey = resolveApiKeyOptions(options.apiKey, { storeType: options.store?.type });
  if (signature?.keySource === 'api-keys' && apiKey === undefined) {
    throw new BastionConfigError('signature.keySource', 'is "api-keys", which needs the "apiKey" option (the API-key store holds the signing keys)');
  }
  return { signature, apiKey };
}
