import { createPublicKey, createSecretKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import type { JwtAlgorithm, StaticKey } from './jwt-options.js';

/** A verification key imported once (per `kid`) and reused for every token it verifies. */
export interface VerificationKey {
  readonly kid: string | undefined;
  /** The JWK's `alg`, when it pins one. */
  readonly alg: string | undefined;
  /** Imported once: a public `KeyObject`, or a secret one for HMAC. */
  readonly key: KeyObject;
  /** `rsa`, `ec`, `ed25519`, `ed448` or `secret`. */
  readonly type: string;
  /** EC curve (`prime256v1`, `secp384r1`, `secp521r1`). */
  readonly curve: string | undefined;
}

/** Result of importing one JWK: the key, or why it is not usable (for the log, never for the client). */
export type ImportResult = { ok: true; key: VerificationKey } | { ok: false; kid: string | undefined; why: string };

/** RFC 8725 §3.5 and NIST SP 800-131A: RSA below 2048 bits is refused even when an issuer publishes it. */
export const MIN_RSA_BITS = 2048;

const PUBLIC_MEMBERS: Record<string, string[]> = {
  RSA: ['kty', 'n', 'e'],
  EC: ['kty', 'crv', 'x', 'y'],
  OKP: ['kty', 'crv', 'x'],
};

const EC_CURVE_FOR: Partial<Record<JwtAlgorithm, string>> = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' };

function fromKeyObject(key: KeyObject, kid: string | undefined, alg: string | undefined): ImportResult {
  if (key.type !== 'public') return { ok: false, kid, why: 'not a public key' };
  const type = key.asymmetricKeyType ?? 'unknown';
  if (!['rsa', 'ec', 'ed25519', 'ed448'].includes(type)) return { ok: false, kid, why: `unsupported key type ${type}` };
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa' && (details.modulusLength ?? 0) < MIN_RSA_BITS) return { ok: false, kid, why: `RSA key of ${details.modulusLength} bits` };
  return { ok: true, key: { kid, alg, key, type, curve: details.namedCurve } };
}

/**
 * Imports one JWK from a JWKS: only signature keys (`use` absent or `sig`, `key_ops` absent or with
 * `verify`), only public members (private material in a JWKS is ignored), RSA ≥ 2048 bits. Symmetric
 * (`oct`) keys in a JWKS are never used: a public key set cannot carry a shared secret.
 */
export function importJwk(jwk: unknown): ImportResult {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return { ok: false, kid: undefined, why: 'not an object' };
  const j = jwk as Record<string, unknown>;
  const kid = typeof j.kid === 'string' && j.kid !== '' ? j.kid : undefined;
  if (j.use !== undefined && j.use !== 'sig') return { ok: false, kid, why: `use ${String(j.use)}` };
  if (j.key_ops !== undefined && !(Array.isArray(j.key_ops) && j.key_ops.includes('verify'))) return { ok: false, kid, why: 'key_ops without verify' };
  if (j.alg !== undefined && typeof j.alg !== 'string') return { ok: false, kid, why: 'alg not a string' };
  const members = PUBLIC_MEMBERS[String(j.kty)];
  if (!members) return { ok: false, kid, why: `kty ${String(j.kty)}` };
  const publicJwk: Record<string, unknown> = {};
  for (const m of members) {
    if (typeof j[m] !== 'string') return { ok: false, kid, why: `missing ${m}` };
    publicJwk[m] = j[m];
  }
  try {
    return fromKeyObject(createPublicKey({ key: publicJwk as never, format: 'jwk' }), kid, j.alg as string | undefined);
  } catch {
    return { ok: false, kid, why: 'invalid key material' };
  }
}

function importPem(pem: string): ImportResult {
  if (/PRIVATE KEY-----/.test(pem)) return { ok: false, kid: undefined, why: 'is a private key; give the API only the public key' };
  try {
    const key = pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
    return fromKeyObject(key, undefined, undefined);
  } catch {
    return { ok: false, kid: undefined, why: 'is not a PEM public key or certificate' };
  }
}

/** Imports configured static keys; returns the keys or the first problem (the caller names the option). */
export function importStaticKeys(keys: StaticKey[]): { keys: VerificationKey[] } | { index: number; why: string } {
  const out: VerificationKey[] = [];
  for (const [index, entry] of keys.entries()) {
    const list: ImportResult[] =
      typeof entry === 'string'
        ? [importPem(entry)]
        : entry && typeof entry === 'object' && Array.isArray((entry as { keys?: unknown }).keys)
          ? (entry as { keys: JWK[] }).keys.map(importJwk)
          : [importJwk(entry)];
    for (const result of list) {
      if (!result.ok) return { index, why: result.why };
      out.push(result.key);
    }
  }
  return { keys: out };
}

/** The key type an algorithm needs (RFC 7518 §3.1): an RSA key never verifies an HS* token and so on. */
export function keyFitsAlgorithm(key: VerificationKey, alg: string): boolean {
  if (key.alg !== undefined && key.alg !== alg) return false;
  if (alg.startsWith('HS')) return key.type === 'secret';
  if (alg.startsWith('RS') || alg.startsWith('PS')) return key.type === 'rsa';
  if (alg.startsWith('ES')) return key.type === 'ec' && key.curve === EC_CURVE_FOR[alg as JwtAlgorithm];
  if (alg === 'EdDSA') return key.type === 'ed25519' || key.type === 'ed448';
  return false;
}

export function secretKey(secret: Uint8Array): VerificationKey {
  return { kid: undefined, alg: undefined, key: createSecretKey(secret), type: 'secret', curve: undefined };
}
