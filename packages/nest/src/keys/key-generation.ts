import { createHash, generateKeyPair, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

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
