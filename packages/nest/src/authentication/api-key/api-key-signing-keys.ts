import type { SignatureKeyOptions, SignatureKeySource } from '../signature/signature-keys.js';
import type { ApiKeyRecord } from './api-key-record.js';
import type { ApiKeyStore } from './api-key-store.js';

/**
 * The signing key registered with an API key, as a signature key: `keyid` is the API key id, the owner,
 * scopes and allowed addresses are the API key's, it expires with it and is revoked with it.
 */
export function signingKeyOf(record: ApiKeyRecord): SignatureKeyOptions | undefined {
  if (!record.signingKey) return undefined;
  return {
    keyid: record.id,
    alg: record.signingKey.alg,
    key: record.signingKey.key,
    owner: record.owner,
    clientId: record.clientId,
    scopes: record.scopes,
    roles: record.roles ?? [],
    notAfter: record.expiresAt,
    allowedAddresses: record.allowedAddresses,
    revoked: record.revokedAt !== undefined && record.revokedAt.getTime() <= Date.now(),
  };
}

/** `signature.keySource: 'api-keys'`: the signing keys registered with API keys, looked up by key id. */
export class ApiKeySignatureKeys implements SignatureKeySource {
  constructor(private readonly store: ApiKeyStore) {}

  async find(keyid: string): Promise<SignatureKeyOptions | undefined> {
    // Key ids are 16 hex digits; anything else is not worth a store round trip.
    if (!/^[0-9a-f]{16}$/.test(keyid)) return undefined;
    const record = await this.store.find(keyid);
    return record && record.id === keyid ? signingKeyOf(record) : undefined;
  }
}
