import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { resolveIssuers } from '../../src/authentication/issuers/resolve-issuers.js';
import { checkClaims } from '../../src/authentication/jwt/claims.js';
import { JwtRejection } from '../../src/authentication/jwt/jwt-errors.js';
import { BastionConfigError, type IssuerOptions } from '../../src/index.js';

const SECRET = 'a-client-secret-long-enough';
const base = (extra: Partial<IssuerOptions> = {}): IssuerOptions => ({ issuer: 'https://id.example', audience: 'api', ...extra });
const introspection = (extra: Record<string, unknown> = {}) => ({ endpoint: 'https://id.example/introspect', clientId: 'api', clientSecret: SECRET, ...extra });

describe('the trust list (issuers) at boot', () => {
  it('keeps `jwt` working, and refuses it combined with `issuers` or carrying introspection', () => {
    expect(resolveIssuers({ jwt: base({ jwksUri: 'https://id.example/jwks' }) })).toHaveLength(1);
    expect(() => resolveIssuers({ jwt: base({ jwksUri: 'https://id.example/jwks' }), issuers: [base({ jwksUri: 'https://id.example/jwks' })] })).toThrow(
      new BastionConfigError('issuers', 'cannot be combined with "jwt"; list every issuer under "issuers"'),
    );
    expect(() => resolveIssuers({ jwt: { ...base({ jwksUri: 'https://id.example/jwks' }), introspection: introspection() } as never })).toThrow(/"jwt.introspection" is configured under "issuers"/);
    expect(() => resolveIssuers({ issuers: [] })).toThrow(/"issuers" must be a non-empty array/);
  });

  it('accepts an introspection-only issuer, and needs a key source or introspection', () => {
    const [config] = resolveIssuers({ issuers: [base({ introspection: introspection() })] });
    expect(config).toMatchObject({ source: undefined, introspection: { endpoint: 'https://id.example/introspect', timeout: 3_000, cache: { maxTtl: 60_000, inactiveTtl: 30_000, size: 10_000 }, requireAudience: true } });
    expect(config!.introspection!.auth).toMatchObject({ clientId: 'api', method: 'client_secret_basic' });
    expect(() => resolveIssuers({ issuers: [base()] })).toThrow(/"issuers\[0\].jwksUri" is required/);
  });

  it('validates introspection: endpoint or discovery, https, client authentication, prefixes, limits', () => {
    expect(() => resolveIssuers({ issuers: [base({ introspection: introspection({ endpoint: undefined }) })] })).toThrow(/"issuers\[0\].introspection.endpoint" is required unless the issuer has "discovery": true/);
    expect(resolveIssuers({ issuers: [base({ discovery: true, introspection: introspection({ endpoint: undefined }) })] })[0]!.discoveryUrl).toBe('https://id.example/.well-known/openid-configuration');
    expect(() => resolveIssuers({ issuers: [base({ introspection: introspection({ endpoint: 'http://id.example/introspect' }) })] })).toThrow(/must use https:/);
    expect(() => resolveIssuers({ issuers: [base({ introspection: introspection({ clientSecret: 'short' }) })] })).toThrow(/"issuers\[0\].introspection.clientSecret" must be a string of at least 16 characters/);
    expect(() => resolveIssuers({ issuers: [base({ introspection: introspection({ timeout: 60 }) })] })).toThrow(/"issuers\[0\].introspection.timeout" must be at most 30 seconds/);
    const issuers = [
      base({ introspection: introspection({ tokenPrefix: 'ory_at_' }) }),
      base({ issuer: 'https://other.example', introspection: introspection({ tokenPrefix: ['ory_'] }) }),
    ];
    expect(() => resolveIssuers({ issuers })).toThrow(/"issuers\[1\].introspection.tokenPrefix" overlaps "ory_at_" of issuers\[0\]/);
  });

  it('private_key_jwt: a private key that fits the algorithm, never echoed', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const [config] = resolveIssuers({ issuers: [base({ introspection: introspection({ clientSecret: undefined, privateKey }) })] });
    expect(config!.introspection!.auth.method).toBe('private_key_jwt');
    expect(() => resolveIssuers({ issuers: [base({ introspection: introspection({ clientSecret: undefined, privateKey, algorithm: 'RS256' }) })] })).toThrow(/"RS256" does not fit/);
    const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
    let message = '';
    try {
      resolveIssuers({ issuers: [base({ introspection: introspection({ clientSecret: undefined, privateKey: pem }) })] });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/"issuers\[0\].introspection.privateKey" must be a private key/);
    expect(message).not.toContain(pem.split('\n')[1]);
    expect(() => resolveIssuers({ issuers: [base({ introspection: introspection({ privateKey, authMethod: 'client_secret_basic' }) })] })).toThrow(/"issuers\[0\].introspection.privateKey" cannot be used with "client_secret_basic"/);
  });

  it('refuses acceptJwtTyp without the RFC 9068 profile', () => {
    expect(() => resolveIssuers({ jwt: base({ jwksUri: 'https://id.example/jwks', acceptJwtTyp: true }) })).toThrow(/"jwt.acceptJwtTyp" only applies with "profile": "rfc9068"/);
  });
});

describe('typ tolerance under the RFC 9068 profile', () => {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: 'https://id.example', aud: 'api', sub: 'a', client_id: 'c', iat: now, exp: now + 60, jti: 'j' };
  const reason = (fn: () => void) => {
    try {
      fn();
      return 'ok';
    } catch (error) {
      return (error as JwtRejection).reason;
    }
  };
  it('refuses typ JWT by default, accepts it with acceptJwtTyp, and never accepts another typ or missing profile claims', () => {
    const [strict] = resolveIssuers({ jwt: base({ jwksUri: 'https://id.example/jwks', profile: 'rfc9068' }) });
    const [tolerant] = resolveIssuers({ jwt: base({ jwksUri: 'https://id.example/jwks', profile: 'rfc9068', acceptJwtTyp: true }) });
    expect(reason(() => checkClaims(claims, 'at+jwt', strict!, now))).toBe('ok');
    expect(reason(() => checkClaims(claims, 'jwt', strict!, now))).toBe('ERR_PROFILE_VIOLATION');
    expect(reason(() => checkClaims(claims, 'jwt', tolerant!, now))).toBe('ok');
    expect(reason(() => checkClaims(claims, undefined, tolerant!, now))).toBe('ERR_PROFILE_VIOLATION');
    expect(reason(() => checkClaims({ ...claims, jti: undefined }, 'jwt', tolerant!, now))).toBe('ERR_PROFILE_VIOLATION');
  });
});
