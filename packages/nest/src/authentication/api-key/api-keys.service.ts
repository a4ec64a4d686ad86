import type { SecurityEvent } from '../../audit/security-event.js';
import { generateApiKey } from './api-key-format.js';
import type { ApiKeyConfig } from './api-key-config.js';
import { assertAddressList, assertSigningKey } from './api-key-config.js';
import type { ApiKeyRecord, ApiKeySigningKey } from './api-key-record.js';
import type { ApiKeyStore } from './api-key-store.js';

/** What {@link ApiKeys.issue} needs. */
export interface IssueApiKeyOptions {
  /** The principal's `subject`. */
  owner: string;
  /** Scopes of the principal. Default none. */
  scopes?: string[];
  /** Roles of the principal. Default none. */
  roles?: string[];
  /** The principal's `clientId` (checked by a boundary's `clients`). Default: none (the owner counts). */
  clientId?: string;
  /** A label for people. */
  name?: string;
  /** Lifetime in seconds. Default `apiKey.defaultLifetime`; at most `apiKey.maxLifetime`. */
  expiresIn?: number;
  /** Expiry time instead of `expiresIn`. */
  expiresAt?: Date;
  /** Client addresses or CIDR ranges the key may be used from. Default: any. */
  allowedAddresses?: string[];
  /** Public key (or HMAC secret) for signatures that must come with this key. */
  signingKey?: ApiKeySigningKey;
}

/** A newly issued key: `key` is shown once and never stored; `record` is what the store keeps. */
export interface IssuedApiKey {
  /** The key itself: give it to its owner once; it is not stored and cannot be shown again. */
  key: string;
  /** Key id (safe to log; revoke with it). */
  id: string;
  /** What the store keeps (the hash, never the key). */
  record: ApiKeyRecord;
}

type Emit = (event: Omit<SecurityEvent, 'time'>) => void;

/**
 * Issues, lists and revokes API keys in the configured store. Inject it where your app manages keys
 * (an admin route, a provisioning job). Each owner may hold several keys: rotate by issuing a new one,
 * moving the client to it, then revoking the old one.
 *
 * @example
 * ```ts
 * constructor(private readonly apiKeys: ApiKeys) {}
 * const { key, id } = await this.apiKeys.issue({ owner: 'billing-worker', scopes: ['orders:export'], expiresIn: 30 * 86_400 });
 * await this.apiKeys.revoke(oldId);
 * ```
 */
export class ApiKeys {
  constructor(
    private readonly store: ApiKeyStore,
    private readonly config: Pick<ApiKeyConfig, 'defaultLifetime' | 'maxLifetime'>,
    private readonly emit: Emit,
    private readonly deps: {
      /** Called with the id of each key revoked (drops its cached signing key). */
      onRevoked?: (id: string) => void;
      /** Clock in ms. Default `Date.now`. */
      now?: () => number;
    } = {},
  ) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** Creates a key for `owner`; throws `TypeError`/`RangeError` for a bad option. */
  async issue(options: IssueApiKeyOptions): Promise<IssuedApiKey> {
    if (typeof options?.owner !== 'string' || options.owner === '') throw new TypeError('issue: owner must be a non-empty string');
    const now = this.now();
    const expiresAt = options.expiresAt ?? new Date(now + (options.expiresIn ?? this.config.defaultLifetime) * 1000);
    const lifetime = (expiresAt.getTime() - now) / 1000;
    if (!(lifetime > 0)) throw new RangeError('issue: the expiry must be in the future');
    if (lifetime > this.config.maxLifetime) throw new RangeError(`issue: keys live at most ${this.config.maxLifetime} seconds (apiKey.maxLifetime)`);
    if (options.allowedAddresses !== undefined) assertAddressList(options.allowedAddresses);
    if (options.signingKey !== undefined) assertSigningKey(options.signingKey);
    const { key, id, hash } = generateApiKey();
    const record: ApiKeyRecord = {
      id,
      hash,
      owner: options.owner,
      ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
      scopes: [...(options.scopes ?? [])],
      ...(options.roles === undefined ? {} : { roles: [...options.roles] }),
      ...(options.name === undefined ? {} : { name: options.name }),
      createdAt: new Date(now),
      expiresAt,
      ...(options.allowedAddresses === undefined ? {} : { allowedAddresses: [...options.allowedAddresses] }),
      ...(options.signingKey === undefined ? {} : { signingKey: options.signingKey }),
    };
    await this.store.save(record);
    this.emit({ type: 'api-key.issued', outcome: 'info', reason: 'API_KEY_ISSUED', principal: { subject: record.owner, clientId: record.clientId, credential: 'api-key', keyId: id }, details: { expiresAt: expiresAt.toISOString(), scopes: record.scopes } });
    return { key, id, record };
  }

  /** Revokes key `id` from now on; `false` when there is no such key. */
  async revoke(id: string): Promise<boolean> {
    const revoked = await this.store.revoke(id, new Date(this.now()));
    this.deps.onRevoked?.(id);
    if (revoked) this.emit({ type: 'api-key.revoked', outcome: 'info', reason: 'API_KEY_REVOKED', principal: { credential: 'api-key', keyId: id } });
    return revoked;
  }

  /** The unexpired keys of `owner` (revoked ones included). */
  list(owner: string): Promise<ApiKeyRecord[]> {
    return this.store.listByOwner(owner);
  }
}
