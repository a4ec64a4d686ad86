import { BastionConfigError } from '../options/assert.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import { resolveApiKeyOptions } from './api-key/api-key-config.js';
import { resolveSignatureOptions } from './signature/signature-config.js';

/** Validates `signature` and `apiKey` (and how they refer to each other); throws `BastionConfigError`. */
export function validateCredentialOptions(options: Pick<BastionOptions, 'signature' | 'apiKey' | 'store'>): void {
  const signature = resolveSignatureOptions(options.signature);
  resolveApiKeyOptions(options.apiKey, { storeType: options.store?.type });
  if (signature?.keySource === 'api-keys' && options.apiKey === undefined) {
    throw new BastionConfigError('signature.keySource', 'is "api-keys", which needs the "apiKey" option (the API-key store holds the signing keys)');
  }
}
