import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateApiKey, generateEd25519Jwk, generateHmacSecret, hashApiKey, parseApiKey, verifyApiKey } from '../../src/keys/key-generation.js';
import { createRedactor } from '../../src/audit/redactor.js';
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

  it('makes API keys in the documented format, stores only the hash, and verifies in constant time', () => {
    const { key, id, hash } = generateApiKey();
    recordSecret(key);
    expect(key).toMatch(/^bst_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(key)).toEqual({ id, secret: key.slice(21) });
    expect(hash).toBe(`sha256:${createHash('sha256').update(key).digest('base64url')}`);
    expect(hash).not.toContain(key.slice(21));
    expect(verifyApiKey(key, hash)).toBe(true);
    expect(verifyApiKey(`${key.slice(0, -1)}A` === key ? `${key.slice(0, -1)}B` : `${key.slice(0, -1)}A`, hash)).toBe(false);
    expect(verifyApiKey('bst_nope', hash)).toBe(false);
    expect(parseApiKey(`${key}x`)).toBeUndefined();
    expect(hashApiKey(key)).toBe(hash);
    // The redactor recognises the format.
    expect(createRedactor()(`key ${key}`)).toBe('key [REDACTED]');
  });

  it('supports API key rotation with overlap: old and new hashes both verify until the old is removed', () => {
    const old = generateApiKey();
    const next = generateApiKey();
    recordSecret(old.key);
    recordSecret(next.key);
    const stored = [old.hash, next.hash];
    const accepts = (key: string, hashes: string[]) => hashes.some((h) => verifyApiKey(key, h));
    expect(accepts(old.key, stored) && accepts(next.key, stored)).toBe(true);
    expect(accepts(old.key, [next.hash])).toBe(false);
  });
});
