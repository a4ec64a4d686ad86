import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';

/**
 * Key material generators behind `bastion keys`, using only `node:crypto`. Each returns values in
 * the format Bastion's options expect. API keys: `authentication/api-key/api-key-format.ts`.
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
