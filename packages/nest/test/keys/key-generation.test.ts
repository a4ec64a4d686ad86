import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateEd25519Jwk, generateHmacSecret } from '../../src/keys/key-generation.js';
import { recordSecret } from '../support/secrets.js';

describe('key generation', () => {
  it('makes 32-byte base64url HMAC secrets, different each time', () => {
    const a = recordSecret(generateHmacSecret());
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(generateHmacSecret()).not.toBe(a);
    expect(() => generateHmacSecret(16)).toThrow(RangeError);
  });

  it('makes Ed25519 JWK pairs whose kid is the RFC 7638 thumbprint and which sign and verify', () => {
    const pair = generateEd25519Jwk();
    recordSecret(pair.privateJwk.d!);
    expect(pair.publicJwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: pair.privateJwk.x, kid: pair.kid, alg: 'EdDSA', use: 'sig' });
    expect(pair.publicJwk).not.toHaveProperty('d');
    const thumb = createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${pair.publicJwk.x}"}`).digest('base64url');
    expect(pair.kid).toBe(thumb);
    const signature = sign(null, Buffer.from('m'), createPrivateKey({ key: pair.privateJwk, format: 'jwk' }));
    expect(verify(null, Buffer.from('m'), createPublicKey({ key: pair.publicJwk, format: 'jwk' }), signature)).toBe(true);
    expect(generateEd25519Jwk('k-2026').kid).toBe('k-2026');
  });
});
