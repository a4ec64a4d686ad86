import { InvalidRequestException, InvalidTokenException, type BastionException } from '../../errors/bastion.exception.js';
import { ApiKeyRejection } from './api-key-errors.js';

/**
 * Turns an {@link ApiKeyRejection} into the uniform answer (400 `invalid_request` for a key presented the
 * wrong way, else 401 `invalid_token`), carrying the `api-key.invalid` event type and the claimed key id
 * for the authentication guard's event.
 */
export function apiKeyException(error: unknown): unknown {
  if (!(error instanceof ApiKeyRejection)) return error;
  const exception: BastionException = error.malformed ? new InvalidRequestException(error.reason) : new InvalidTokenException(error.reason, error);
  // Unverified, for failure counting only; never used as an identity.
  const claimed = error.keyId === undefined ? undefined : { keyId: error.keyId, credential: 'api-key' };
  return Object.assign(exception, { event: 'api-key.invalid', claimed });
}
