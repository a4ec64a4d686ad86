import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DpopRejection } from '../../../src/authentication/dpop/dpop-errors.js';
import { DEFAULT_DPOP_ALGORITHMS, type DpopAlgorithm } from '../../../src/authentication/dpop/dpop-options.js';
import { accessTokenHash, verifyDpopProof, type ProofExpectations } from '../../../src/authentication/dpop/dpop-proof.js';
import { TestDpopClient } from '../../../src/testing/index.js';
import { encode } from '../../../src/testing/test-issuer.js';

const URL_ = 'https://api.example.com/orders';
const TOKEN = 'access.token.value';

function expectations(overrides: Partial<ProofExpectations> = {}): ProofExpectations {
  return {
    method: 'GET',
    uris: [URL_],
    accessToken: TOKEN,
    algorithms: new Set<DpopAlgorithm>(DEFAULT_DPOP_ALGORITHMS),
    now: Date.now() / 1000,
    maxAge: 60,
    clockTolerance: 5,
    ...overrides,
  };
}

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DpopRejection);
  return (error as DpopRejection).reason;
}

describe('DPoP proof checks (RFC 9449 §4.3)', () => {
  let client: TestDpopClient;
  let other: TestDpopClient;
  beforeAll(async () => {
    client = await TestDpopClient.create();
    other = await TestDpopClient.create();
  });

  it.each(['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA'] as const)('accepts a valid %s proof and returns the RFC 7638 thumbprint, jti and iat', async (algorithm) => {
    const c = await TestDpopClient.create({ algorithm });
    const proof = await c.proof('GET', `${URL_}?page=2`, { accessToken: TOKEN });
    const verified = await verifyDpopProof(proof, expectations());
    expect(verified.jkt).toBe(c.thumbprint);
    expect(verified.jti).toMatch(/[0-9a-f-]{36}/);
    expect(verified.nonce).toBeUndefined();
  });

  it('returns the nonce it carries', async () => {
    expect((await verifyDpopProof(await client.proof('GET', URL_, { accessToken: TOKEN, nonce: 'n-1' }), expectations())).nonce).toBe('n-1');
  });

  it.each([
    ['typ JWT', { header: { typ: 'JWT' } }, 'ERR_DPOP_TYPE_REJECTED'],
    ['typ absent', { header: { typ: undefined } }, 'ERR_DPOP_TYPE_REJECTED'],
    ['alg none', { header: { alg: 'none' } }, 'ERR_DPOP_ALGORITHM_REJECTED'],
    ['alg HS256', { header: { alg: 'HS256' } }, 'ERR_DPOP_ALGORITHM_REJECTED'],
    ['no jwk', { header: { jwk: undefined } }, 'ERR_DPOP_KEY_INVALID'],
    ['a symmetric jwk', { header: { jwk: { kty: 'oct', k: 'c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0' } } }, 'ERR_DPOP_KEY_PRIVATE'],
    ['the private key in jwk', { privateKeyInHeader: true }, 'ERR_DPOP_KEY_PRIVATE'],
    ['crit', { header: { crit: ['exp'], exp: 1 } }, 'ERR_DPOP_PROOF_INVALID'],
    ['htm POST on a GET', { claims: { htm: 'POST' } }, 'ERR_DPOP_METHOD_MISMATCH'],
    ['htm in lower case', { claims: { htm: 'get' } }, 'ERR_DPOP_METHOD_MISMATCH'],
    ['htu of another path', { claims: { htu: 'https://api.example.com/admin' } }, 'ERR_DPOP_URI_MISMATCH'],
    ['htu of another host', { claims: { htu: 'https://evil.example/orders' } }, 'ERR_DPOP_URI_MISMATCH'],
    ['htu over http', { claims: { htu: 'http://api.example.com/orders' } }, 'ERR_DPOP_URI_MISMATCH'],
    ['a relative htu', { claims: { htu: '/orders' } }, 'ERR_DPOP_URI_MISMATCH'],
    ['iat an hour ago', { claims: { iat: Math.floor(Date.now() / 1000) - 3600 } }, 'ERR_DPOP_PROOF_TOO_OLD'],
    ['iat a minute ahead', { claims: { iat: Math.floor(Date.now() / 1000) + 60 } }, 'ERR_DPOP_PROOF_ISSUED_IN_FUTURE'],
    ['iat as a string', { claims: { iat: String(Math.floor(Date.now() / 1000)) } }, 'ERR_DPOP_PROOF_INVALID'],
    ['no iat', { claims: { iat: undefined } }, 'ERR_DPOP_PROOF_INVALID'],
    ['no htm', { claims: { htm: undefined } }, 'ERR_DPOP_PROOF_INVALID'],
    ['no jti', { claims: { jti: undefined } }, 'ERR_DPOP_JTI_MISSING'],
    ['an empty jti', { claims: { jti: '' } }, 'ERR_DPOP_JTI_MISSING'],
    ['a huge jti', { claims: { jti: 'x'.repeat(300) } }, 'ERR_DPOP_PROOF_INVALID'],
    ['no ath', { accessToken: undefined }, 'ERR_DPOP_ATH_MISMATCH'],
    ['the ath of another token', { accessToken: 'another.token.value' }, 'ERR_DPOP_ATH_MISMATCH'],
  ])('refuses %s', async (_what, options, reason) => {
    const proof = await client.proof('GET', URL_, { accessToken: TOKEN, ...(options as object) });
    expect(await reasonOf(verifyDpopProof(proof, expectations()))).toBe(reason);
  });

  it('refuses a proof signed by another key than its jwk names', async () => {
    const proof = await client.proof('GET', URL_, { accessToken: TOKEN, signWith: other });
    expect(await reasonOf(verifyDpopProof(proof, expectations()))).toBe('ERR_DPOP_SIGNATURE_INVALID');
  });

  it('refuses an algorithm outside the allow-list and a key that does not fit the alg', async () => {
    const es512 = await TestDpopClient.create({ algorithm: 'ES512' });
    expect(await reasonOf(verifyDpopProof(await es512.proof('GET', URL_, { accessToken: TOKEN }), expectations()))).toBe('ERR_DPOP_ALGORITHM_REJECTED');
    const rsaJwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
    expect(await reasonOf(verifyDpopProof(await client.proof('GET', URL_, { accessToken: TOKEN, header: { jwk: rsaJwk } }), expectations()))).toBe('ERR_DPOP_KEY_INVALID');
    const shortRsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
    const rs = await TestDpopClient.create({ algorithm: 'RS256' });
    expect(await reasonOf(verifyDpopProof(await rs.proof('GET', URL_, { accessToken: TOKEN, header: { jwk: shortRsa } }), expectations()))).toBe('ERR_DPOP_KEY_INVALID');
  });

  it('refuses malformed proofs: segments, encoding, duplicate members, size', async () => {
    const valid = await client.proof('GET', URL_, { accessToken: TOKEN });
    const [h, p, s] = valid.split('.') as [string, string, string];
    const duplicate = Buffer.from(`{"typ":"dpop+jwt","typ":"dpop+jwt","alg":"ES256"}`).toString('base64url');
    for (const proof of [`${h}.${p}`, `${h}.${p}.`, `${h}=.${p}.${s}`, `${duplicate}.${p}.${s}`, `${encode('x')}.${p}.${s}`, `${h}.${p}.${s}${'A'.repeat(9000)}`]) {
      expect(await reasonOf(verifyDpopProof(proof, expectations()))).toMatch(/^ERR_DPOP_(PROOF_INVALID|TYPE_REJECTED)$/);
    }
  });

  it('accepts iat within the tolerance on both sides, and application/dpop+jwt', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const iat of [now - 64, now + 4]) {
      await expect(verifyDpopProof(await client.proof('GET', URL_, { accessToken: TOKEN, claims: { iat } }), expectations({ now }))).resolves.toBeDefined();
    }
    await expect(verifyDpopProof(await client.proof('GET', URL_, { accessToken: TOKEN, header: { typ: 'application/dpop+jwt' } }), expectations())).resolves.toBeDefined();
  });

  it('checks a header it has seen before against the allow-list of each call, and every signature and claim anew', async () => {
    const first = await client.proof('GET', URL_, { accessToken: TOKEN });
    await expect(verifyDpopProof(first, expectations())).resolves.toBeDefined();
    // Same header segment (one client, one key): the cached header still meets this caller's policy.
    const again = await client.proof('GET', URL_, { accessToken: TOKEN });
    expect(again.split('.')[0]).toBe(first.split('.')[0]);
    expect(await reasonOf(verifyDpopProof(again, expectations({ algorithms: new Set<DpopAlgorithm>(['EdDSA']) })))).toBe('ERR_DPOP_ALGORITHM_REJECTED');
    const [h, p] = again.split('.') as [string, string, string];
    const [, , otherSignature] = (await client.proof('GET', URL_, { accessToken: TOKEN })).split('.');
    expect(await reasonOf(verifyDpopProof(`${h}.${p}.${otherSignature}`, expectations()))).toBe('ERR_DPOP_SIGNATURE_INVALID');
    expect(await reasonOf(verifyDpopProof(await client.proof('GET', URL_, { accessToken: TOKEN, claims: { htm: 'POST' } }), expectations()))).toBe('ERR_DPOP_METHOD_MISMATCH');
    expect(await reasonOf(verifyDpopProof(await client.proof('GET', URL_, { accessToken: TOKEN, signWith: other }), expectations()))).toBe('ERR_DPOP_SIGNATURE_INVALID');
  });

  it('computes ath as base64url SHA-256 of the ASCII token (RFC 9449 §4.2 example)', () => {
    // The access token and ath of RFC 9449 Figure 13/14.
    expect(accessTokenHash('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU')).toBe('fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo');
  });
});
