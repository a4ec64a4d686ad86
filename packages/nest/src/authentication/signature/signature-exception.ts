import type { SecurityEventType } from '../../audit/security-event.js';
import { InvalidRequestException, InvalidTokenException, type BastionException } from '../../errors/bastion.exception.js';
import { SignatureRejection } from './signature-errors.js';

/**
 * Turns a {@link SignatureRejection} into the uniform answer: 400 `invalid_request` for a malformed
 * message, else 401 `invalid_token`. The exception carries the audit event type (`signature.replayed`
 * or `signature.invalid`) and the key id the message claimed, for the authentication guard's event.
 */
export function signatureException(error: unknown): unknown {
  if (!(error instanceof SignatureRejection)) return error;
  const exception: BastionException = error.malformed ? new InvalidRequestException(error.reason) : new InvalidTokenException(error.reason, error);
  const event: SecurityEventType = error.reason === 'ERR_SIGNATURE_REPLAYED' ? 'signature.replayed' : 'signature.invalid';
  // Unverified, for failure counting and alerts only; never used as an identity.
  const claimed = error.keyId === undefined ? undefined : { keyId: error.keyId, credential: 'signature' };
  return Object.assign(exception, { event, claimed });
}
