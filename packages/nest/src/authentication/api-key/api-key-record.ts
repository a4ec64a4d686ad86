import type { JsonWebKey } from 'node:crypto';
import type { SignatureAlgorithm } from '../signature/algorithms.js';

/**
 * The signing key registered with an API key (for requests that must carry both): a public key (PEM or
 * JWK) for asymmetric algorithms, or the shared HMAC secret as base64url text for `hmac-sha256`.
 */
export interface ApiKeySigningKey {
  /** The signing key's algorithm; a signature naming another is refused. */
  alg: SignatureAlgorithm;
  /** Public key as PEM text or a JWK; for `hmac-sha256`, the secret (≥ 32 bytes) as base64url text. */
  key: string | JsonWebKey;
}

/**
 * One API key as stored: never the key itself, only its hash. Each key belongs to one owner, carries
 * its scopes and an expiry, and may be limited to client addresses. An owner may hold several active
 * keys (rotation); a revoked key stays stored, and refused, until it expires.
 */
export interface ApiKeyRecord {
  /** Key id (16 hex digits, from the key itself). */
  id: string;
  /** `sha256:<base64url>` of the whole key. */
  hash: string;
  /** The principal's `subject`. */
  owner: string;
  /** The principal's `clientId`, when the key acts for an OAuth-style client. */
  clientId?: string;
  /** Scopes of the principal. */
  scopes: string[];
  /** Roles of the principal. Default none. */
  roles?: string[];
  /** A label for people (`"billing export, prod"`). */
  name?: string;
  /** When the key was issued. */
  createdAt: Date;
  /** The key is refused from this time on. Required: keys do not live forever. */
  expiresAt: Date;
  /** Set when revoked; the key is refused from then on. */
  revokedAt?: Date;
  /** Client addresses or CIDR ranges the key may be used from (resolved through the trusted proxies). Default: any. */
  allowedAddresses?: string[];
  /** Key for RFC 9421 signatures made together with this API key. */
  signingKey?: ApiKeySigningKey;
}

/** JSON text of a record (dates as ISO 8601), for stores that keep strings. */
export function recordToJson(record: ApiKeyRecord): string {
  return JSON.stringify(record);
}

function date(value: unknown): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const d = value instanceof Date ? value : new Date(value as string);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Parses a stored record; dates become `Date`s. Throws on text that is not a record. */
export function recordFromJson(text: string): ApiKeyRecord {
  const raw = JSON.parse(text) as Record<string, unknown>;
  return recordFromRow(raw);
}

/** A record from a plain object (a JSON document or a database row with the same field names). */
export function recordFromRow(raw: Record<string, unknown>): ApiKeyRecord {
  if (typeof raw.id !== 'string' || typeof raw.hash !== 'string' || typeof raw.owner !== 'string') throw new TypeError('not an API key record');
  return {
    id: raw.id,
    hash: raw.hash,
    owner: raw.owner,
    ...(typeof raw.clientId === 'string' ? { clientId: raw.clientId } : {}),
    scopes: Array.isArray(raw.scopes) ? raw.scopes.filter((s): s is string => typeof s === 'string') : [],
    ...(Array.isArray(raw.roles) ? { roles: raw.roles.filter((s): s is string => typeof s === 'string') } : {}),
    ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
    createdAt: date(raw.createdAt) ?? new Date(0),
    // An unreadable expiry becomes "already expired": fail closed.
    expiresAt: date(raw.expiresAt) ?? new Date(0),
    ...(date(raw.revokedAt) ? { revokedAt: date(raw.revokedAt)! } : {}),
    // A list that cannot be read allows nothing (fail closed), rather than every address.
    ...(raw.allowedAddresses === undefined || raw.allowedAddresses === null
      ? {}
      : { allowedAddresses: Array.isArray(raw.allowedAddresses) ? raw.allowedAddresses.filter((s): s is string => typeof s === 'string') : [] }),
    ...(raw.signingKey && typeof raw.signingKey === 'object' ? { signingKey: raw.signingKey as ApiKeySigningKey } : {}),
  };
}
