import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPkcePair, pkceChallenge, verifyPkce } from '../../src/oauth-client/pkce.js';

const vectors = JSON.parse(readFileSync(new URL('../vectors/rfc7636_pkce_s256.json', import.meta.url), 'utf8')) as {
  verifier_random_octets: number[];
  code_verifier: string;
  sha256_of_ascii_verifier_octets: number[];
  code_challenge: string;
};

describe('PKCE (RFC 7636)', () => {
  it('reproduces the Appendix B S256 example: octets → verifier → challenge', () => {
    expect(Buffer.from(vectors.verifier_random_octets).toString('base64url')).toBe(vectors.code_verifier);
    expect(pkceChallenge(vectors.code_verifier)).toBe(vectors.code_challenge);
    expect(Buffer.from(pkceChallenge(vectors.code_verifier), 'base64url')).toEqual(Buffer.from(vectors.sha256_of_ascii_verifier_octets));
    expect(verifyPkce({ verifier: vectors.code_verifier, challenge: vectors.code_challenge, method: 'S256' })).toBe(true);
  });

  it('refuses the plain method, everywhere', () => {
    expect(() => pkceChallenge(vectors.code_verifier, 'plain')).toThrow(/plain.*refused/);
    expect(verifyPkce({ verifier: vectors.code_verifier, challenge: vectors.code_verifier, method: 'plain' })).toBe(false);
    // §4.3: an absent method means plain.
    expect(verifyPkce({ verifier: vectors.code_verifier, challenge: vectors.code_challenge })).toBe(false);
  });

  it.each([
    ['42 characters', 'a'.repeat(42)],
    ['129 characters', 'a'.repeat(129)],
    ['a "+"', `${'a'.repeat(42)}+`],
    ['a "/"', `${'a'.repeat(42)}/`],
    ['a "="', `${'a'.repeat(42)}=`],
    ['a space', `${'a'.repeat(42)} `],
  ])('refuses a verifier with %s (§4.1 syntax)', (_what, verifier) => {
    expect(() => pkceChallenge(verifier)).toThrow(TypeError);
    expect(verifyPkce({ verifier, challenge: vectors.code_challenge, method: 'S256' })).toBe(false);
  });

  it('accepts 43 and 128 characters of every unreserved character class', () => {
    for (const verifier of ['A'.repeat(43), `${'aZ09-._~'.repeat(16)}`]) expect(pkceChallenge(verifier)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a verifier that does not hash to the challenge, and challenges in other encodings', () => {
    const other = createPkcePair();
    expect(verifyPkce({ verifier: other.verifier, challenge: vectors.code_challenge, method: 'S256' })).toBe(false);
    const standardBase64 = Buffer.from(vectors.code_challenge, 'base64url').toString('base64');
    for (const challenge of [`${vectors.code_challenge}=`, standardBase64, vectors.code_challenge.toLowerCase()]) {
      expect(verifyPkce({ verifier: vectors.code_verifier, challenge, method: 'S256' })).toBe(false);
    }
  });

  it('creates fresh S256 pairs of 32 random octets by default', () => {
    const a = createPkcePair();
    const b = createPkcePair();
    expect(a.method).toBe('S256');
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.verifier).not.toBe(b.verifier);
    expect(verifyPkce({ ...a })).toBe(true);
    expect(createPkcePair(96).verifier).toHaveLength(128);
    expect(() => createPkcePair(16)).toThrow(RangeError);
  });
});
