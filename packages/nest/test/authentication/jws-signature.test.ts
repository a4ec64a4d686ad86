import { constants, createSecretKey, generateKeyPairSync, sign } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { parseCompactJws } from '../../src/authentication/jwt/compact-jws.js';
import { verifyJwsSignature } from '../../src/authentication/jwt/jws-signature.js';
import { importJwk, secretKey, type VerificationKey } from '../../src/authentication/jwt/verification-key.js';

const PAIRS = {
  rsa: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  p256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  p384: generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  p521: generateKeyPairSync('ec', { namedCurve: 'P-521' }),
  ed: generateKeyPairSync('ed25519'),
};
const CASES = [
  ['RS256', PAIRS.rsa], ['RS384', PAIRS.rsa], ['RS512', PAIRS.rsa],
  ['PS256', PAIRS.rsa], ['PS384', PAIRS.rsa], ['PS512', PAIRS.rsa],
  ['ES256', PAIRS.p256], ['ES384', PAIRS.p384], ['ES512', PAIRS.p521],
  ['EdDSA', PAIRS.ed],
] as const;

function publicKey(pair: (typeof PAIRS)[keyof typeof PAIRS]): VerificationKey {
  const result = importJwk(pair.publicKey.export({ format: 'jwk' }));
  if (!result.ok) throw new Error(result.why);
  return result.key;
}

function check(token: string, key: VerificationKey): boolean {
  const parsed = parseCompactJws(token);
  return verifyJwsSignature(parsed.alg, key, parsed.signingInput, parsed.signature);
}

const claims = { iss: 'https://id.example', sub: 'alice', aud: 'api' };

describe('verifyJwsSignature (node:crypto over the parsed parts)', () => {
  it.each(CASES)('%s: accepts a signature made by jose, refuses one over other data or by another key', async (alg, pair) => {
    const token = await new SignJWT(claims).setProtectedHeader({ alg }).sign(pair.privateKey);
    expect(check(token, publicKey(pair))).toBe(true);
    const [h, , s] = token.split('.');
    const other = await new SignJWT({ ...claims, sub: 'mallory' }).setProtectedHeader({ alg }).sign(pair.privateKey);
    expect(check(`${h}.${other.split('.')[1]}.${s}`, publicKey(pair))).toBe(false);
    const stranger = alg === 'EdDSA' ? generateKeyPairSync('ed25519') : alg.startsWith('ES') ? generateKeyPairSync('ec', { namedCurve: (pair.publicKey.asymmetricKeyDetails!.namedCurve)! }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(check(token, publicKey(stranger))).toBe(false);
  });

  it('HS256/384/512: constant-time MAC check against the configured secret', async () => {
    const secret = new Uint8Array(64).fill(7);
    for (const alg of ['HS256', 'HS384', 'HS512']) {
      const token = await new SignJWT(claims).setProtectedHeader({ alg }).sign(createSecretKey(secret));
      expect(check(token, secretKey(secret))).toBe(true);
      expect(check(token, secretKey(new Uint8Array(64).fill(8)))).toBe(false);
      // A truncated MAC is not a shorter valid MAC.
      const dot = token.lastIndexOf('.');
      const truncated = Buffer.from(token.slice(dot + 1), 'base64url').subarray(0, 16).toString('base64url');
      expect(check(`${token.slice(0, dot)}.${truncated}`, secretKey(secret))).toBe(false);
    }
  });

  it('PS256 pins the salt to the hash length (RFC 7518 §3.5): a valid PSS signature with another salt is refused', () => {
    const input = `${Buffer.from('{"alg":"PS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    const zeroSalt = sign('sha256', Buffer.from(input), { key: PAIRS.rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 0 });
    expect(check(`${input}.${zeroSalt.toString('base64url')}`, publicKey(PAIRS.rsa))).toBe(false);
    const digestSalt = sign('sha256', Buffer.from(input), { key: PAIRS.rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    expect(check(`${input}.${digestSalt.toString('base64url')}`, publicKey(PAIRS.rsa))).toBe(true);
  });

  it('ES256 accepts only the 64-byte R||S form (a DER signature of the same value is refused)', () => {
    const input = `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    const der = sign('sha256', Buffer.from(input), PAIRS.p256.privateKey);
    expect(check(`${input}.${der.toString('base64url')}`, publicKey(PAIRS.p256))).toBe(false);
    const p1363 = sign('sha256', Buffer.from(input), { key: PAIRS.p256.privateKey, dsaEncoding: 'ieee-p1363' });
    expect(check(`${input}.${p1363.toString('base64url')}`, publicKey(PAIRS.p256))).toBe(true);
  });

  it('returns false (never throws) for an algorithm it does not know', () => {
    expect(verifyJwsSignature('XS256', publicKey(PAIRS.rsa), 'a.b', Buffer.from('x'))).toBe(false);
  });
});
