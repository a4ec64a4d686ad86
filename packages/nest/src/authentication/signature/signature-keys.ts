import type { KeyObject } from 'node:crypto';
import { importVerificationKey, type SignatureAlgorithm, type SignatureKeyMaterial } from './algorithms.js';

/**
 * One key a caller signs with, as configuration or a key source gives it. The key id is what messages
 * name in `keyid`; the algorithm is the key's, never the message's choice.
 *
 * @example
 * ```ts
 * { keyid: 'billing-2026-01', alg: 'ed25519', key: process.env.BILLING_PUBLIC_KEY_PEM!, owner: 'billing-worker', scopes: ['orders:export'],
 *   notAfter: '2026-07-01T00:00:00Z' }
 * ```
 */
export interface SignatureKeyOptions {
  /** Key id (`keyid` signature parameter). Unique within the ring. */
  keyid: string;
  /** The key's algorithm; a signature naming another `alg` is refused. */
  alg: SignatureAlgorithm;
  /** Public key (PEM, JWK, KeyObject) or, for `hmac-sha256`, the shared secret (≥ 32 bytes; base64 text or bytes). */
  key: SignatureKeyMaterial;
  /** The principal's `subject`: who signs with this key. */
  owner: string;
  /** The principal's `clientId` (checked by a boundary's `clients`). Default: none (the owner counts). */
  clientId?: string;
  /** Scopes of the principal. Default none. */
  scopes?: readonly string[];
  /** Roles of the principal. Default none. */
  roles?: readonly string[];
  /** Not accepted before this time (rotation: publish the next key ahead). Date or ISO 8601 text. */
  notBefore?: Date | string;
  /** Not accepted after this time (rotation: retire the old key). Date or ISO 8601 text. */
  notAfter?: Date | string;
  /** Client addresses or CIDR ranges the key may sign from (resolved through the trusted proxies). Default: any. */
  allowedAddresses?: readonly string[];
  /** The key has been withdrawn (refused with `ERR_KEY_REVOKED`). Default `false`. */
  revoked?: boolean;
}

/** A key ready to verify with: the fields of {@link SignatureKeyOptions}, validated, with the key imported. */
export interface SignatureKey {
  /** Key id (`keyid`). */
  readonly keyid: string;
  /** The key's algorithm. */
  readonly alg: SignatureAlgorithm;
  /** The public key, or the HMAC secret. */
  readonly key: KeyObject;
  /** The principal's `subject`. */
  readonly owner: string;
  /** The principal's `clientId`, if any. */
  readonly clientId: string | undefined;
  /** Scopes of the principal. */
  readonly scopes: readonly string[];
  /** Roles of the principal. */
  readonly roles: readonly string[];
  /** Not accepted before this time. */
  readonly notBefore: Date | undefined;
  /** Not accepted from this time on. */
  readonly notAfter: Date | undefined;
  /** Client addresses or CIDR ranges the key may sign from; any when undefined. */
  readonly allowedAddresses: readonly string[] | undefined;
  /** Withdrawn: refused with `ERR_KEY_REVOKED`. */
  readonly revoked: boolean;
}

/**
 * Port: where signing keys come from (configuration, the API-key store, or your own code). `find`
 * resolves `undefined` for an unknown key id and rejects when it cannot answer (the request then fails
 * closed with 401).
 */
export interface SignatureKeySource {
  /** The key with id `keyid`, or `undefined` when there is none. */
  find(keyid: string): Promise<SignatureKeyOptions | SignatureKey | undefined>;
}

function dateOf(value: Date | string | undefined, what: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new TypeError(`${what} must be a Date or an ISO 8601 time`);
  return date;
}

function isResolved(entry: SignatureKeyOptions | SignatureKey): entry is SignatureKey {
  return typeof (entry.key as KeyObject | undefined)?.export === 'function' && Array.isArray(entry.scopes) && 'clientId' in entry && typeof entry.revoked === 'boolean';
}

/** Validates one key and imports its material; throws `TypeError` naming the problem. */
export function resolveSignatureKey(entry: SignatureKeyOptions | SignatureKey): SignatureKey {
  if (isResolved(entry)) return entry;
  if (typeof entry.keyid !== 'string' || entry.keyid === '') throw new TypeError('keyid must be a non-empty string');
  if (typeof entry.owner !== 'string' || entry.owner === '') throw new TypeError('owner must be a non-empty string');
  const notBefore = dateOf(entry.notBefore, 'notBefore');
  const notAfter = dateOf(entry.notAfter, 'notAfter');
  if (notBefore && notAfter && notAfter <= notBefore) throw new TypeError('notAfter must be after notBefore');
  return {
    keyid: entry.keyid,
    alg: entry.alg,
    key: importVerificationKey(entry.alg, entry.key),
    owner: entry.owner,
    clientId: entry.clientId,
    scopes: [...(entry.scopes ?? [])],
    roles: [...(entry.roles ?? [])],
    notBefore,
    notAfter,
    allowedAddresses: entry.allowedAddresses === undefined ? undefined : [...entry.allowedAddresses],
    revoked: entry.revoked === true,
  };
}

/** A fixed key ring from configuration, imported once at boot. */
export class StaticKeySource implements SignatureKeySource {
  private readonly keys = new Map<string, SignatureKey>();

  constructor(entries: readonly (SignatureKeyOptions | SignatureKey)[]) {
    for (const entry of entries) {
      const key = resolveSignatureKey(entry);
      if (this.keys.has(key.keyid)) throw new TypeError(`keyid ${key.keyid} appears twice`);
      this.keys.set(key.keyid, key);
    }
  }

  async find(keyid: string): Promise<SignatureKey | undefined> {
    return this.keys.get(keyid);
  }
}
