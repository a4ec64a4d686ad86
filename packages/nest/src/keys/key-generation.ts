import { createHash, generateKeyPair, generateKeyPairSync, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

/**
 * Key material generators behind `bastion keys`, using only `node:crypto`. Each returns values in
 * the format Bastion's options expect.
 */

/** A fresh HMAC secret: 32 random bytes, base64url (43 characters). */
export function generateHmacSecret(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 32) throw new RangeError('HMAC secrets must be at least 32 bytes');
  return randomBytes(bytes).toString('base64url');
}

/** An Ed25519 key pair as JWKs (RFC 8037), both with the same `kid`, `alg: 'EdDSA'` and `use: 'sig'`. */
export interface Ed25519KeyPair {
  kid: string;
  privateJwk: Record<string, string>;
  publicJwk: Record<string, string>;
}

/** Generates an Ed25519 key pair; the `kid` defaults to its RFC 7638 JWK thumbprint. */
export function generateEd25519Jwk(kid?: string): Ed25519KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'jwk' }) as { crv: string; x: string; kty: string };
  const priv = privateKey.export({ format: 'jwk' }) as { crv: string; x: string; kty: string; d: string };
  // RFC 7638 §3.2: required members in lexicographic order, no whitespace.
  const thumbprint = createHash('sha256').update(JSON.stringify({ crv: pub.crv, kty: pub.kty, x: pub.x })).digest('base64url');
  const id = kid ?? thumbprint;
  return {
    kid: id,
    publicJwk: { kty: pub.kty, crv: pub.crv, x: pub.x, kid: id, alg: 'EdDSA', use: 'sig' },
    privateJwk: { kty: priv.kty, crv: priv.crv, x: priv.x, d: priv.d, kid: id, alg: 'EdDSA', use: 'sig' },
  };
}

/** Prefix of every Bastion API key; recognisable in leaks (secret scanners) and by the redactor. */
export const API_KEY_PREFIX = 'bst_';
const API_KEY_FORMAT = /^bst_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** A new API key: give `key` to the client once; store only `id` and `hash`. */
export interface GeneratedApiKey {
  /** `bst_<16 hex id>_<43 base64url secret>`. */
  key: string;
  /** Public key id (lookup key, safe to log). */
  id: string;
  /** `sha256:<base64url>` of the whole key, for storage. */
  hash: string;
}

/**
 * Generates an API key: `bst_` + 8-byte id in hex + `_` + 32 random bytes in base64url. The key has
 * 256 bits of entropy, so a fast hash (SHA-256) is the right storage form — a slow password hash adds
 * nothing against brute force at that entropy, and keeps verification cheap on every request.
 */
export function generateApiKey(): GeneratedApiKey {
  const id = randomBytes(8).toString('hex');
  const key = `${API_KEY_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
  return { key, id, hash: hashApiKey(key) };
}

/** The storage form of an API key: `sha256:<base64url digest>`. */
export function hashApiKey(key: string): string {
  return `sha256:${createHash('sha256').update(key).digest('base64url')}`;
}

/** Splits a well-formed API key into its id and secret; `undefined` when malformed. */
export function parseApiKey(key: string): { id: string; secret: string } | undefined {
  const m = typeof key === 'string' && key.length === 64 ? API_KEY_FORMAT.exec(key) : null;
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

/** Checks a presented key against a stored hash, in constant time. */
export function verifyApiKey(presented: string, storedHash: string): boolean {
  if (!parseApiKey(presented)) return false;
  const a = Buffer.from(hashApiKey(presented));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** An asymmetric JWS algorithm (RFC 7518 §3) a key pair can be generated for. */
export type AsymmetricJwsAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA';

const generate = promisify(generateKeyPair) as (type: string, options: Record<string, unknown>) => Promise<{ publicKey: KeyObject; privateKey: KeyObject }>;

/** A new key pair for `alg` (RSA 2048 bits; ES256/384/512 on P-256/384/521; EdDSA on Ed25519). */
export function generateKeyPairFor(alg: AsymmetricJwsAlgorithm): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  const [type, params] = keyPairParams(alg);
  return generate(type, params);
}

function keyPairParams(alg: AsymmetricJwsAlgorithm): [type: string, options: Record<string, unknown>] {
  if (alg.startsWith('RS') || alg.startsWith('PS')) return ['rsa', { modulusLength: 2048 }];
  if (alg === 'ES256') return ['ec', { namedCurve: 'P-256' }];
  if (alg === 'ES384') return ['ec', { namedCurve: 'P-384' }];
  if (alg === 'ES512') return ['ec', { namedCurve: 'P-521' }];
  return ['ed25519', {}];
}
