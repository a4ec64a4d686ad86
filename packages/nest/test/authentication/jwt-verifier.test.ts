import { generateKeyPairSync } from 'node:crypto';
import type { JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { resolveJwtOptions } from '../../src/authentication/jwt/jwt-config.js';
import { JwtRejection } from '../../src/authentication/jwt/jwt-errors.js';
import type { JwtIssuerOptions } from '../../src/authentication/jwt/jwt-options.js';
import { JwtVerifier } from '../../src/authentication/jwt/jwt-verifier.js';
import { hmacSign, nowSeconds, rs256Sign } from './support/forge.js';

const ISS = 'https://static.example';
const keyA = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keyB = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwkOf = (k: typeof keyA, kid?: string) => ({ ...k.publicKey.export({ format: 'jwk' }), ...(kid ? { kid } : {}) }) as JWK;
const claims = (extra: Record<string, unknown> = {}) => ({ iss: ISS, aud: 'api', sub: 'alice', iat: nowSeconds(), exp: nowSeconds() + 60, ...extra });

function verifier(options: Partial<JwtIssuerOptions>, now?: () => number) {
  return new JwtVerifier(resolveJwtOptions({ issuer: ISS, audience: 'api', ...options } as JwtIssuerOptions), { now });
}

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return error instanceof JwtRejection ? error.reason : `other: ${String(error)}`;
  }
}

describe('JwtVerifier with static keys', () => {
  it('selects a static key by kid, or the only key when the token names none', async () => {
    const v = verifier({ keys: { keys: [jwkOf(keyA, 'a'), jwkOf(keyB, 'b')] } });
    expect(await reasonOf(v.verify(rs256Sign({ alg: 'RS256', kid: 'b' }, claims(), keyB.privateKey)))).toBe('ok');
    expect(await reasonOf(v.verify(rs256Sign({ alg: 'RS256', kid: 'a' }, claims(), keyB.privateKey)))).toBe('ERR_SIGNATURE_INVALID');
    // Two keys and no kid: ambiguous, refused rather than tried one after the other.
    expect(await reasonOf(v.verify(rs256Sign({ alg: 'RS256' }, claims(), keyA.privateKey)))).toBe('ERR_KEY_UNKNOWN');
    const single = verifier({ keys: keyA.publicKey.export({ format: 'pem', type: 'spki' }) as string });
    expect(await reasonOf(single.verify(rs256Sign({ alg: 'RS256' }, claims(), keyA.privateKey)))).toBe('ok');
  });

  it('refuses HS256 made with the configured RSA public key (no RS→HS confusion)', async () => {
    const pem = keyA.publicKey.export({ format: 'pem', type: 'spki' }) as string;
    const v = verifier({ keys: pem });
    expect(await reasonOf(v.verify(hmacSign({ alg: 'HS256' }, claims(), pem)))).toBe('ERR_ALGORITHM_REJECTED');
  });

  it('verifies HS256 with a secret and refuses any other algorithm for that issuer', async () => {
    const secret = 's'.repeat(40);
    const v = verifier({ secret, algorithms: ['HS256'] });
    expect(await reasonOf(v.verify(hmacSign({ alg: 'HS256' }, claims(), secret)))).toBe('ok');
    expect(await reasonOf(v.verify(hmacSign({ alg: 'HS256' }, claims(), 'x'.repeat(40))))).toBe('ERR_SIGNATURE_INVALID');
    expect(await reasonOf(v.verify(hmacSign({ alg: 'HS384' }, claims(), secret)))).toBe('ERR_ALGORITHM_REJECTED');
    expect(await reasonOf(v.verify(rs256Sign({ alg: 'RS256' }, claims(), keyA.privateKey)))).toBe('ERR_ALGORITHM_REJECTED');
  });

  it('re-checks the clock on every cache hit', async () => {
    let now = Date.now();
    const v = verifier({ keys: jwkOf(keyA) }, () => now);
    const token = rs256Sign({ alg: 'RS256' }, claims({ iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + 60 }), keyA.privateKey);
    const first = await v.verify(token);
    expect(await v.verify(token)).toBe(first);
    now += 66_000;
    expect(await reasonOf(v.verify(token))).toBe('ERR_TOKEN_EXPIRED');
  });

  it('refuses oversized tokens before hashing or parsing them', async () => {
    expect(await reasonOf(verifier({ keys: jwkOf(keyA) }).verify('a'.repeat(20_000)))).toBe('ERR_TOKEN_TOO_LARGE');
  });
});

describe('JwtVerifier.verifyNow', () => {
  it('answers a cached token synchronously and a token it has not seen with a promise', async () => {
    const v = verifier({ keys: jwkOf(keyA) });
    const token = rs256Sign({ alg: 'RS256' }, claims(), keyA.privateKey);
    const first = v.verifyNow(token);
    expect(first).toBeInstanceOf(Promise);
    const identity = await first;
    const again = v.verifyNow(token);
    expect(again).not.toBeInstanceOf(Promise);
    expect(again).toBe(identity);
    // verify() keeps its promise either way.
    await expect(v.verify(token)).resolves.toBe(identity);
  });

  it('refuses a cached token that has expired since, and forgets it', async () => {
    let now = Date.now();
    const v = verifier({ keys: jwkOf(keyA) }, () => now);
    const token = rs256Sign({ alg: 'RS256' }, claims({ iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + 60 }), keyA.privateKey);
    await v.verifyNow(token);
    expect(v.cachedTokens).toBe(1);
    now += 120_000;
    expect(await reasonOf(Promise.resolve().then(() => v.verifyNow(token)))).toBe('ERR_TOKEN_EXPIRED');
    expect(v.cachedTokens).toBe(0);
  });

  it('runs the shape check only when the cache does not hold the token, and throws what it throws', async () => {
    const v = verifier({ keys: jwkOf(keyA) });
    const token = rs256Sign({ alg: 'RS256' }, claims(), keyA.privateKey);
    const seen: string[] = [];
    const shape = (t: string) => void seen.push(t);
    await v.verifyNow(token, shape);
    expect(seen).toEqual([token]);
    v.verifyNow(token, shape);
    expect(seen).toEqual([token]);
    const refuse = () => {
      throw new Error('malformed');
    };
    expect(() => v.verifyNow('not a token', refuse)).toThrow('malformed');
    // Before the length limit too: an oversized malformed value is refused for its shape.
    expect(() => v.verifyNow('x '.repeat(20_000), refuse)).toThrow('malformed');
  });

  it('still tells an observer which answers came from the cache', async () => {
    const v = verifier({ keys: jwkOf(keyA) });
    const paths: string[] = [];
    v.instrument((_seconds, path) => void paths.push(path.cache));
    const token = rs256Sign({ alg: 'RS256' }, claims(), keyA.privateKey);
    await v.verifyNow(token);
    const second = v.verifyNow(token);
    expect(second).toBeInstanceOf(Promise);
    await second;
    expect(paths).toEqual(['miss', 'hit']);
  });
});
