import type { Provider } from '@nestjs/common';
import { BASTION_CONFIG, type BastionConfig } from '../../core/bastion-config.js';
import { BASTION_SECURITY_STATE, rememberOnce, type SecurityStateStore } from '../../stores/security-state.interface.js';
import { ApiKeySigningKeys } from '../api-key/api-key-signing-keys.js';
import { SignatureVerifier } from './signature-verifier.js';
import { SignatureAuthenticator } from './signature.authenticator.js';

/**
 * Providers of RFC 9421 signed requests: the {@link SignatureVerifier} (null when `signature` is not
 * configured) with its replay nonces in the security state, and its authenticator (null likewise).
 */
export const SIGNATURE_PROVIDERS: Provider[] = [
  {
    provide: SignatureVerifier,
    useFactory: (config: BastionConfig, security: SecurityStateStore, apiKeyKeys: ApiKeySigningKeys | null) => {
      const settings = config.signature;
      if (!settings) return null;
      const keys = settings.keySource === 'api-keys' ? apiKeyKeys! : settings.keySource;
      return new SignatureVerifier(settings, keys, { rememberOnce: (key, ttlMs) => rememberOnce(security, key, ttlMs) });
    },
    inject: [BASTION_CONFIG, BASTION_SECURITY_STATE, ApiKeySigningKeys],
  },
  {
    provide: SignatureAuthenticator,
    useFactory: (verifier: SignatureVerifier | null) => (verifier ? new SignatureAuthenticator(verifier) : null),
    inject: [SignatureVerifier],
  },
];
