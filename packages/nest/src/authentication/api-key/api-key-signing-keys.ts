import type { KeyObject } from 'node:crypto';
import { importVerificationKey } from '../signature/algorithms.js';
import type { SignatureKey, SignatureKeySource } from '../signature/signature-keys.js';
import type { ApiKeyRecord } from './api-key-record.js';
import type { ApiKeyStore } from './api-key-store.js';

/** Imported signing keys kept, at most; the least recently used goes first. */
export const SIGNING_KEY_CACHE_SIZE = 10_000;

interface Imported {
  /** The record's `alg` and key material as stored: a changed key (rotation in place) is imported anew. */
  readonly material: string;
  readonly key: KeyObject;
}

function materialOf(record: ApiKeyRecord): string {
  const { alg, key } = record.signingKey!;
  return `${alg}\n${typeof key === 'string' ? key : JSON.stringify(key)}`;
}

/**
 * The signing keys registered with API keys, as signature keys: `keyid` is the API key id; the owner,
 * scopes and allowed addresses are the API key's; it expires and is revoked with it. Importing a key
 * (parsing PEM/JWK, checking it fits its algorithm) costs more than verifying an HMAC, so imported keys
 * are cached per API key id — bounded (least recently used out), re-imported when the stored material
 * changes, dropped on revocation. Only the imported key is cached: the record, and so expiry, revocation,
 * scopes and addresses, is read from the store on every request.
 */
export class ApiKeySigningKeys implements SignatureKeySource {
  private readonly imported = new Map<string, Imported>();

  constructor(
    private readonly store: ApiKeyStore,
    private readonly maxEntries = SIGNING_KEY_CACHE_SIZE,
  ) {}

  /** The signature key of a verified record; `undefined` when it has no signing key. Throws `TypeError` for unusable material. */
  of(record: ApiKeyRecord): SignatureKey | undefined {
    if (!record.signingKey) return undefined;
    return {
      keyid: record.id,
      alg: record.signingKey.alg,
      key: this.importOnce(record),
      owner: record.owner,
      clientId: record.clientId,
      scopes: record.scopes,
      roles: record.roles ?? [],
      notBefore: undefined,
      notAfter: record.expiresAt,
      allowedAddresses: record.allowedAddresses,
      revoked: record.revokedAt !== undefined && record.revokedAt.getTime() <= Date.now(),
    };
  }

  /** `signature.keySource: 'api-keys'`: the signing key registered with API key `keyid`. */
  async find(keyid: string): Promise<SignatureKey | undefined> {
    // Key ids are 16 hex digits; anything else is not worth a store round trip.
    if (!/^[0-9a-f]{16}$/.test(keyid)) return undefined;
    const record = await this.store.find(keyid);
    return record && record.id === keyid ? this.of(record) : undefined;
  }

  /** Drops the imported key of API key `id` (revoked or replaced). */
  forget(id: string): void {
    this.imported.delete(id);
  }

  /** Number of imported keys held (for tests and metrics). */
  get size(): number {
    return this.imported.size;
  }

  private importOnce(record: ApiKeyRecord): KeyObject {
    const material = materialOf(record);
    const cached = this.imported.get(record.id);
    if (cached?.material === material) {
      // Most recently used last: Map keeps insertion order.
      this.imported.delete(record.id);
      this.imported.set(record.id, cached);
      return cached.key;
    }
    const key = importVerificationKey(record.signingKey!.alg, record.signingKey!.key);
    this.imported.delete(record.id);
    this.imported.set(record.id, { material, key });
    if (this.imported.size > this.maxEntries) this.imported.delete(this.imported.keys().next().value!);
    return key;
  }
}
