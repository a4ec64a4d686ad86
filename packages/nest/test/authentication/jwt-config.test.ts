import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { resolveJwtOptions } from '../../src/authentication/jwt/jwt-config.js';
import type { JwtIssuerOptions } from '../../src/authentication/jwt/jwt-options.js';
import { BastionConfigError } from '../../src/options/assert.js';

const BASE: JwtIssuerOptions = { issuer: 'https://id.example', audience: 'api', jwksUri: 'https://id.example/jwks' };
const SECRET = 'x'.repeat(32);

function errorOf(jwt: unknown): string {
  try {
    resolveJwtOptions(jwt as JwtIssuerOptions);
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(BastionConfigError);
    return (error as Error).message;
  }
}

describe('resolveJwtOptions (boot validation)', () => {
  it('applies defaults', () => {
    const [config] = resolveJwtOptions(BASE);
    expect([...config!.algorithms]).toEqual(['RS256', 'PS256', 'ES256', 'EdDSA']);
    expect(config).toMatchObject({ clockTolerance: 5, rfc9068: false, tokenCacheSize: 10_000, jwks: { maxAge: 600_000, cooldown: 30_000, timeout: 5_000 } });
    expect(config!.claims).toEqual({ scopeClaims: ['scope', 'scp'], permissionsAsScopes: false, roleClaims: ['roles'], clientIdClaims: ['client_id', 'azp'], acceptNumericSubject: false });
  });

  it.each([
    ['no audience', { ...BASE, audience: undefined }, '"jwt.audience"'],
    ['empty audience list', { ...BASE, audience: [] }, '"jwt.audience"'],
    ['blank issuer', { ...BASE, issuer: ' ' }, '"jwt.issuer"'],
    ['no key source', { issuer: 'https://id.example', audience: 'api' }, '"jwt.jwksUri" is required'],
    ['two key sources', { ...BASE, discovery: true }, '"jwt.discovery" cannot be combined with "jwksUri"'],
    ['alg none', { ...BASE, algorithms: ['RS256', 'none'] }, '"jwt.algorithms[1]" must not be "none"'],
    ['alg NONE', { ...BASE, algorithms: ['NONE'] }, '"jwt.algorithms[0]" must not be "none"'],
    ['unknown alg', { ...BASE, algorithms: ['RS1'] }, '"jwt.algorithms[0]" must be one of'],
    ['empty algs', { ...BASE, algorithms: [] }, '"jwt.algorithms"'],
    ['HS without secret', { ...BASE, algorithms: ['HS256'] }, '"jwt.algorithms[0]" "HS256" needs a "secret"'],
    ['secret without HS algs', { issuer: 'https://id.example', audience: 'api', secret: SECRET }, '"jwt.algorithms" must list only HS'],
    ['secret with mixed algs', { issuer: 'https://id.example', audience: 'api', secret: SECRET, algorithms: ['HS256', 'RS256'] }, '"jwt.algorithms" must list only HS'],
    ['short secret', { issuer: 'https://id.example', audience: 'api', secret: 'short', algorithms: ['HS256'] }, '"jwt.secret" must be at least 32 bytes'],
    ['HS512 secret under 64 bytes', { issuer: 'https://id.example', audience: 'api', secret: SECRET, algorithms: ['HS512'] }, '"jwt.secret" must be at least 64 bytes'],
    ['http jwks off loopback', { ...BASE, jwksUri: 'http://id.example/jwks' }, '"jwt.jwksUri" must use https:'],
    ['http issuer with discovery', { issuer: 'http://id.example', audience: 'api', discovery: true }, '"jwt.issuer" must use https:'],
    ['ftp jwks', { ...BASE, jwksUri: 'ftp://id.example/jwks' }, '"jwt.jwksUri" must be an https: URL'],
    ['cooldown over 60 s', { ...BASE, jwks: { cooldown: 61 } }, '"jwt.jwks.cooldown" must be at most 60'],
    ['negative tolerance', { ...BASE, clockTolerance: -1 }, '"jwt.clockTolerance"'],
    ['bad profile', { ...BASE, profile: 'rfc7519' }, '"jwt.profile"'],
    ['private PEM', { issuer: 'https://id.example', audience: 'api', keys: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) }, '"jwt.keys" is a private key'],
    ['weak static RSA', { issuer: 'https://id.example', audience: 'api', keys: [generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' })] }, '"jwt.keys[0]" RSA key of 1024 bits'],
    ['garbage PEM', { issuer: 'https://id.example', audience: 'api', keys: 'not a key' }, '"jwt.keys" is not a PEM'],
  ])('refuses %s, naming the option', (_name, jwt, message) => {
    expect(errorOf(jwt)).toContain(message);
  });

  it('names the index of the bad issuer and refuses the same issuer twice', () => {
    expect(errorOf([BASE, { ...BASE, issuer: 'https://other.example', audience: '' }])).toContain('"jwt[1].audience"');
    expect(errorOf([BASE, BASE])).toContain('"jwt[1].issuer" is configured twice');
  });

  it('allows http on loopback, or off loopback only with allowInsecureHttp', () => {
    expect(errorOf({ ...BASE, jwksUri: 'http://127.0.0.1:8080/jwks' })).toBe('ok');
    expect(errorOf({ ...BASE, jwksUri: 'http://localhost/jwks' })).toBe('ok');
    expect(errorOf({ ...BASE, jwksUri: 'http://[::1]/jwks' })).toBe('ok');
    expect(errorOf({ ...BASE, jwksUri: 'http://idp.internal/jwks', allowInsecureHttp: true })).toBe('ok');
  });

  it('accepts HS with a long secret and static keys of every form', () => {
    expect(errorOf({ issuer: 'https://id.example', audience: 'api', secret: SECRET, algorithms: ['HS256'] })).toBe('ok');
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k' };
    expect(errorOf({ issuer: 'https://id.example', audience: 'api', keys: [publicKey.export({ format: 'pem', type: 'spki' }) as string, jwk, { keys: [jwk] }] })).toBe('ok');
  });
});
