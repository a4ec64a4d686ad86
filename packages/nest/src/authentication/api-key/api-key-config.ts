import { BastionConfigError, assertPositiveNumber, isPlainObject } from '../../options/assert.js';
import { TrustedProxies } from '../../net/trusted-proxies.js';
import { SIGNATURE_ALGORITHMS, importVerificationKey } from '../signature/algorithms.js';
import { isApiKeyHash } from './api-key-format.js';
import { recordFromRow, type ApiKeyRecord, type ApiKeySigningKey } from './api-key-record.js';
import type { ApiKeyOptions } from './api-key-options.js';
import type { ApiKeyStore } from './api-key-store.js';

/** The `apiKey` options, validated and with every default applied. */
export interface ApiKeyConfig {
  readonly store: 'memory' | 'redis' | ApiKeyStore;
  /** Lower case. */
  readonly header: string;
  readonly seed: readonly ApiKeyRecord[];
  /** Seconds. */
  readonly defaultLifetime: number;
  /** Seconds. */
  readonly maxLifetime: number;
}

const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Headers with another meaning: a key there would be misread, or read by something else.
const RESERVED = new Set(['authorization', 'proxy-authorization', 'cookie', 'host', 'signature', 'signature-input', 'content-digest', 'content-type', 'content-length', 'transfer-encoding', 'forwarded']);

/** Throws `TypeError` when a signing key does not fit its algorithm. */
export function assertSigningKey(key: unknown): asserts key is ApiKeySigningKey {
  if (!isPlainObject(key) || !SIGNATURE_ALGORITHMS.includes(key.alg as never)) throw new TypeError(`alg must be one of ${SIGNATURE_ALGORITHMS.join(', ')}`);
  importVerificationKey(key.alg as ApiKeySigningKey['alg'], key.key as string);
}

/** Throws `TypeError` naming what is wrong with a list of allowed addresses. */
export function assertAddressList(list: unknown): asserts list is string[] {
  if (!Array.isArray(list) || list.length === 0) throw new TypeError('must be a non-empty array of addresses or CIDR ranges');
  new TrustedProxies(list as string[]);
}

function seedRecord(raw: unknown, path: string): ApiKeyRecord {
  if (!isPlainObject(raw)) throw new BastionConfigError(path, 'must be an object');
  if (typeof raw.id !== 'string' || !/^[0-9a-f]{16}$/.test(raw.id)) throw new BastionConfigError(`${path}.id`, 'must be the 16 hex digits of the key id');
  if (!isApiKeyHash(raw.hash)) throw new BastionConfigError(`${path}.hash`, 'must be the stored form sha256:<43 base64url characters> (never the key itself)');
  if (typeof raw.owner !== 'string' || raw.owner === '') throw new BastionConfigError(`${path}.owner`, 'must be a non-empty string');
  if (raw.scopes !== undefined && (!Array.isArray(raw.scopes) || raw.scopes.some((s) => typeof s !== 'string' || s === ''))) throw new BastionConfigError(`${path}.scopes`, 'must be an array of scope names');
  const expires = new Date(raw.expiresAt as string);
  if (raw.expiresAt === undefined || Number.isNaN(expires.getTime())) throw new BastionConfigError(`${path}.expiresAt`, 'is required: a Date or ISO 8601 time (keys do not live forever)');
  if (raw.allowedAddresses !== undefined) {
    try {
      assertAddressList(raw.allowedAddresses);
    } catch (error) {
      throw new BastionConfigError(`${path}.allowedAddresses`, (error as Error).message);
    }
  }
  if (raw.signingKey !== undefined) {
    try {
      assertSigningKey(raw.signingKey);
    } catch (error) {
      throw new BastionConfigError(`${path}.signingKey`, (error as Error).message);
    }
  }
  return recordFromRow({ scopes: [], ...raw, createdAt: raw.createdAt ?? new Date() });
}

/**
 * Validates the `apiKey` option at boot and applies defaults; `undefined` when it is not set. Throws
 * `BastionConfigError` naming the first bad option.
 */
export function resolveApiKeyOptions(input: ApiKeyOptions | undefined, context: { storeType?: string } = {}, path = 'apiKey'): ApiKeyConfig | undefined {
  if (input === undefined) return undefined;
  if (!isPlainObject(input)) throw new BastionConfigError(path, 'must be an object');
  const options: ApiKeyOptions = input;
  const store = options.store ?? 'memory';
  if (store !== 'memory' && store !== 'redis' && typeof (store as Partial<ApiKeyStore>).find !== 'function') {
    throw new BastionConfigError(`${path}.store`, 'must be "memory", "redis" or an ApiKeyStore (find, save, revoke, listByOwner)');
  }
  if (store === 'redis' && context.storeType !== 'redis') throw new BastionConfigError(`${path}.store`, 'is "redis", which needs store: { type: "redis", … } (the Redis Bastion shares between instances)');
  const header = options.header ?? 'X-Api-Key';
  if (typeof header !== 'string' || !FIELD_NAME.test(header)) throw new BastionConfigError(`${path}.header`, 'must be an HTTP header name');
  if (RESERVED.has(header.toLowerCase())) throw new BastionConfigError(`${path}.header`, `must not be "${header}" (a header with another meaning); Authorization: ApiKey is always accepted`);
  if (options.keys !== undefined) {
    if (store !== 'memory') throw new BastionConfigError(`${path}.keys`, 'seeds the memory store only; put records into your store instead');
    if (!Array.isArray(options.keys)) throw new BastionConfigError(`${path}.keys`, 'must be an array of key records');
  }
  const seed = (options.keys ?? []).map((k, i) => seedRecord(k, `${path}.keys[${i}]`));
  const ids = new Set<string>();
  seed.forEach((r, i) => {
    if (ids.has(r.id)) throw new BastionConfigError(`${path}.keys[${i}].id`, 'appears twice');
    ids.add(r.id);
  });
  assertPositiveNumber(options.defaultLifetime, `${path}.defaultLifetime`);
  assertPositiveNumber(options.maxLifetime, `${path}.maxLifetime`);
  const maxLifetime = options.maxLifetime ?? 31_536_000;
  const defaultLifetime = options.defaultLifetime ?? Math.min(7_776_000, maxLifetime);
  if (defaultLifetime > maxLifetime) throw new BastionConfigError(`${path}.defaultLifetime`, 'must not exceed maxLifetime');
  return { store, header: header.toLowerCase(), seed, defaultLifetime, maxLifetime };
}
