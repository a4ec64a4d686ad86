import { constants, createHmac, timingSafeEqual, verify } from 'node:crypto';
import type { VerificationKey } from './verification-key.js';

/** RFC 7518 §3.4: an ECDSA JWS signature is R || S, each as long as the curve's order. */
const EC_SIGNATURE_BYTES: Record<string, number> = { ES256: 64, ES384: 96, ES512: 132 };

function hashOf(alg: string): string {
  return `sha${alg.slice(2)}`;
}

/**
 * Checks a JWS signature over the already-parsed parts (RFC 7515 §5.2 step 8) with `node:crypto` and a
 * `KeyObject` imported once per key, so a token is parsed once (strictly, by Bastion) and never again
 * by a library. The algorithm was pinned by the issuer and matched to the key type before this call.
 * Returns `false` for any signature that does not verify, including malformed ones.
 */
export function verifyJwsSignature(alg: string, key: VerificationKey, signingInput: string, signature: Buffer): boolean {
  // The signing input is base64url ASCII (checked by the parser): latin1 is its exact byte form.
  const data = Buffer.from(signingInput, 'latin1');
  const keyObject = key.key;
  try {
    if (alg.startsWith('HS')) {
      const expected = createHmac(hashOf(alg), keyObject).update(data).digest();
      // Constant-time comparison of the MAC (RFC 7518 §3.2).
      return expected.length === signature.length && timingSafeEqual(expected, signature);
    }
    if (alg.startsWith('RS')) return verify(hashOf(alg), data, keyObject, signature);
    if (alg.startsWith('PS')) {
      // RFC 7518 §3.5: the salt is as long as the hash; not auto-detected.
      return verify(hashOf(alg), data, { key: keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature);
    }
    if (alg.startsWith('ES')) {
      if (signature.length !== EC_SIGNATURE_BYTES[alg]) return false;
      return verify(hashOf(alg), data, { key: keyObject, dsaEncoding: 'ieee-p1363' }, signature);
    }
    if (alg === 'EdDSA') return verify(null, data, keyObject, signature);
  } catch {
    return false;
  }
  return false;
}

