import { constants, createHmac, createPrivateKey, createPublicKey, createSecretKey, sign, timingSafeEqual, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

/** RFC 9421 §3.3 algorithms Bastion signs and verifies (HTTP Signature Algorithms registry names). */
export const SIGNATURE_ALGORITHMS = ['hmac-sha256', 'ed25519', 'ecdsa-p256-sha256', 'rsa-pss-sha512', 'rsa-v1_5-sha256'] as const;

/** An RFC 9421 algorithm name (HTTP Signature Algorithms registry) Bastion signs and verifies. */
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

/**
 * Key material in the forms Bastion accepts: a `KeyObject`, a PEM string, a JWK object, or — for
 * `hmac-sha256` only — the secret's bytes or its base64/base64url text (as `bastion keys hmac` prints it).
 */
export type SignatureKeyMaterial = KeyObject | string | JsonWebKey | Uint8Array;

/** Shortest HMAC secret accepted, in bytes (RFC 2104 §3: the hash output length). */
export const MIN_HMAC_KEY_BYTES = 32;
const MIN_RSA_BITS = 2048;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

function secretOf(material: SignatureKeyMaterial): KeyObject {
  let key: KeyObject;
  if (typeof material === 'string') {
    if (!BASE64.test(material.trim())) throw new TypeError('an hmac-sha256 secret given as text must be base64 or base64url');
    key = createSecretKey(Buffer.from(material.trim(), 'base64'));
  } else if (material instanceof Uint8Array) key = createSecretKey(Buffer.from(material));
  else if ((material as KeyObject).type === 'secret') key = material as KeyObject;
  else throw new TypeError('an hmac-sha256 key must be a secret (bytes, base64 text or a secret KeyObject)');
  if (key.symmetricKeySize! < MIN_HMAC_KEY_BYTES) throw new TypeError(`an hmac-sha256 secret must be at least ${MIN_HMAC_KEY_BYTES} bytes (got ${key.symmetricKeySize})`);
  return key;
}

function asymmetric(material: SignatureKeyMaterial, kind: 'public' | 'private'): KeyObject {
  if (material instanceof Uint8Array) throw new TypeError('asymmetric keys are KeyObjects, PEM text or JWKs');
  if (typeof material === 'object' && 'type' in material && typeof (material as KeyObject).export === 'function') {
    const key = material as KeyObject;
    if (key.type === 'secret') throw new TypeError('a secret key cannot be used with an asymmetric algorithm');
    if (kind === 'public') return key.type === 'public' ? key : createPublicKey(key);
    if (key.type !== 'private') throw new TypeError('signing needs a private key');
    return key;
  }
  const input = typeof material === 'string' ? material : { key: material, format: 'jwk' as const };
  return kind === 'public' ? createPublicKey(input as never) : createPrivateKey(input as never);
}

/** Refuses a key that does not fit the algorithm (an RSA key never verifies an ed25519 signature). */
function assertFits(alg: SignatureAlgorithm, key: KeyObject): void {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  const ok =
    alg === 'ed25519'
      ? type === 'ed25519'
      : alg === 'ecdsa-p256-sha256'
        ? type === 'ec' && details.namedCurve === 'prime256v1'
        : alg === 'rsa-pss-sha512'
          ? (type === 'rsa' || type === 'rsa-pss') && (details.modulusLength ?? 0) >= MIN_RSA_BITS
          : type === 'rsa' && (details.modulusLength ?? 0) >= MIN_RSA_BITS;
  if (!ok) throw new TypeError(`the key does not fit ${alg}${type?.startsWith('rsa') ? ` (RSA keys need ${MIN_RSA_BITS} bits or more)` : ''}`);
}

/** The verification key for `alg` (a public key, or the HMAC secret); throws `TypeError` when it does not fit. */
export function importVerificationKey(alg: SignatureAlgorithm, material: SignatureKeyMaterial): KeyObject {
  if (alg === 'hmac-sha256') return secretOf(material);
  const key = asymmetric(material, 'public');
  assertFits(alg, key);
  return key;
}

/** The signing key for `alg` (a private key, or the HMAC secret); throws `TypeError` when it does not fit. */
export function importSigningKey(alg: SignatureAlgorithm, material: SignatureKeyMaterial): KeyObject {
  if (alg === 'hmac-sha256') return secretOf(material);
  const key = asymmetric(material, 'private');
  assertFits(alg, key);
  return key;
}

const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 };

/** RFC 9421 §3.3: the signature (or MAC) of `data` under `key`. */
export function signBytes(alg: SignatureAlgorithm, key: KeyObject, data: Buffer): Buffer {
  switch (alg) {
    case 'hmac-sha256':
      return createHmac('sha256', key).update(data).digest();
    case 'ed25519':
      return sign(null, data, key);
    case 'ecdsa-p256-sha256':
      // RFC 9421 §3.3.4: r‖s, 32 bytes each (IEEE P1363), not DER.
      return sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
    case 'rsa-pss-sha512':
      // RFC 9421 §3.3.1: MGF1 with SHA-512 and a 64-byte salt.
      return sign('sha512', data, { key, ...PSS });
    case 'rsa-v1_5-sha256':
      return sign('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING });
  }
}

/** True when `signature` is valid for `data` under `key`; never throws (a malformed signature is just invalid). */
export function verifyBytes(alg: SignatureAlgorithm, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    switch (alg) {
      case 'hmac-sha256': {
        const expected = createHmac('sha256', key).update(data).digest();
        // Constant time; the length is public (32 bytes).
        return signature.length === expected.length && timingSafeEqual(signature, expected);
      }
      case 'ed25519':
        return signature.length === 64 && verify(null, data, key, signature);
      case 'ecdsa-p256-sha256':
        return signature.length === 64 && verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
      case 'rsa-pss-sha512':
        // Signed with the RFC's 64-byte salt; verified with any salt length, since common signers use
        // OpenSSL's default (the maximum). PSS does not depend on the salt length for its security.
        return verify('sha512', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, signature);
      case 'rsa-v1_5-sha256':
        return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
    }
  } catch {
    return false;
  }
}
