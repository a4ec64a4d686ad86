import { timingSafeEqual } from 'node:crypto';
import { addressAllowed } from '../../net/address-list.js';
import { ApiKeyRejection } from './api-key-errors.js';
import { hashApiKey, parseApiKey } from './api-key-format.js';
import type { ApiKeyRecord } from './api-key-record.js';
import type { ApiKeyStore } from './api-key-store.js';

/**
 * Verifies a presented API key against the key store: format and checksum, then the record found by the
 * key's id, whose stored hash must equal the key's hash (constant-time comparison), then revocation,
 * expiry and the allowed client addresses. Framework-free; throws {@link ApiKeyRejection}.
 */
export class ApiKeyVerifier {
  constructor(
    private readonly store: ApiKeyStore,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async verify(presented: string, clientIp: string | undefined): Promise<ApiKeyRecord> {
    const parsed = parseApiKey(presented);
    if (!parsed) throw new ApiKeyRejection('ERR_API_KEY_MALFORMED');
    const keyId = parsed.id;
    const hash = Buffer.from(hashApiKey(presented));
    let record: ApiKeyRecord | undefined;
    try {
      record = await this.store.find(keyId);
    } catch (error) {
      throw new ApiKeyRejection('ERR_API_KEY_STORE_UNAVAILABLE', { cause: error, keyId });
    }
    if (!record || record.id !== keyId) throw new ApiKeyRejection('ERR_API_KEY_UNKNOWN', { keyId });
    const stored = Buffer.from(String(record.hash));
    if (stored.length !== hash.length || !timingSafeEqual(stored, hash)) throw new ApiKeyRejection('ERR_API_KEY_MISMATCH', { keyId });
    const now = this.now();
    if (record.revokedAt !== undefined && record.revokedAt.getTime() <= now) throw new ApiKeyRejection('ERR_API_KEY_REVOKED', { keyId });
    // A record without a readable expiry counts as expired (fail closed).
    if (!(record.expiresAt instanceof Date) || !(record.expiresAt.getTime() > now)) throw new ApiKeyRejection('ERR_API_KEY_EXPIRED', { keyId });
    if (record.allowedAddresses !== undefined && !addressAllowed(record.allowedAddresses, clientIp)) throw new ApiKeyRejection('ERR_API_KEY_ADDRESS', { keyId });
    return record;
  }
}
