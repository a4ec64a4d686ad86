import { describe, expect, it } from 'vitest';
import { checkClaims } from '../../src/authentication/jwt/claims.js';
import { claimAt, identityFromClaims, principalOf } from '../../src/authentication/jwt/claims-principal.js';
import { resolveJwtOptions } from '../../src/authentication/jwt/jwt-config.js';
import { JwtRejection } from '../../src/authentication/jwt/jwt-errors.js';
import type { JwtIssuerOptions } from '../../src/authentication/jwt/jwt-options.js';

const NOW = 1_700_000_000;
const config = (extra: Partial<JwtIssuerOptions> = {}) => resolveJwtOptions({ issuer: 'https://id.example', audience: ['api', 'api2'], jwksUri: 'https://id.example/jwks', ...extra })[0]!;
const valid = { iss: 'https://id.example', aud: 'api', sub: 'alice', exp: NOW + 60, iat: NOW - 10 };

function reasonOf(claims: Record<string, unknown>, extra: Partial<JwtIssuerOptions> = {}, typ?: string): string {
  try {
    checkClaims(claims, typ, config(extra), NOW);
    return 'ok';
  } catch (error) {
    return error instanceof JwtRejection ? error.reason : String(error);
  }
}

describe('checkClaims', () => {
  it.each([
    ['valid', valid, {}, 'ok'],
    ['aud array with one match', { ...valid, aud: ['other', 'api2'] }, {}, 'ok'],
    ['missing aud', { ...valid, aud: undefined }, {}, 'ERR_AUDIENCE_MISSING'],
    ['wrong aud', { ...valid, aud: 'other-api' }, {}, 'ERR_AUDIENCE_MISMATCH'],
    ['empty aud array', { ...valid, aud: [] }, {}, 'ERR_AUDIENCE_MISSING'],
    ['aud of wrong type', { ...valid, aud: 7 }, {}, 'ERR_CLAIM_INVALID'],
    ['missing exp', { ...valid, exp: undefined }, {}, 'ERR_EXPIRY_MISSING'],
    ['exp as string', { ...valid, exp: String(NOW + 60) }, {}, 'ERR_CLAIM_INVALID'],
    ['sub as number', { ...valid, sub: 42 }, {}, 'ERR_CLAIM_INVALID'],
    ['expired within tolerance', { ...valid, exp: NOW - 4 }, {}, 'ok'],
    ['expired beyond tolerance', { ...valid, exp: NOW - 5 }, {}, 'ERR_TOKEN_EXPIRED'],
    ['nbf within tolerance', { ...valid, nbf: NOW + 5 }, {}, 'ok'],
    ['nbf in the future', { ...valid, nbf: NOW + 6 }, {}, 'ERR_TOKEN_NOT_YET_VALID'],
    ['iat in the future', { ...valid, iat: NOW + 60 }, {}, 'ERR_TOKEN_ISSUED_IN_FUTURE'],
    ['too old for maxTokenAge', { ...valid, iat: NOW - 400 }, { maxTokenAge: 300 }, 'ERR_TOKEN_TOO_OLD'],
    ['no iat with maxTokenAge', { ...valid, iat: undefined }, { maxTokenAge: 300 }, 'ERR_CLAIM_INVALID'],
    ['rfc9068 without at+jwt', { ...valid, client_id: 'c', jti: 'j' }, { profile: 'rfc9068' }, 'ERR_PROFILE_VIOLATION'],
  ])('%s', (_name, claims, extra, reason) => {
    expect(reasonOf(claims as Record<string, unknown>, extra as Partial<JwtIssuerOptions>)).toBe(reason);
  });

  it('rfc9068 requires typ at+jwt and its claims', () => {
    expect(reasonOf({ ...valid, client_id: 'c', jti: 'j' }, { profile: 'rfc9068' }, 'at+jwt')).toBe('ok');
    expect(reasonOf({ ...valid, jti: 'j' }, { profile: 'rfc9068' }, 'at+jwt')).toBe('ERR_PROFILE_VIOLATION');
  });
});

describe('principal mapping', () => {
  it('reads scope and scp, roles by dotted path, permissions by option, client id', () => {
    const c = config({ claims: { roleClaims: ['roles', 'realm_access.roles'], permissionsAsScopes: true } });
    const identity = identityFromClaims(
      { ...valid, scope: 'a b  c', scp: ['d'], permissions: ['e'], roles: 'r1', realm_access: { roles: ['r2', 3] }, azp: 'spa', jti: 'j' },
      c,
    );
    const p = principalOf(identity);
    expect([...p.scopes].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect([...p.roles].sort()).toEqual(['r1', 'r2']);
    expect(p).toMatchObject({ subject: 'alice', clientId: 'spa', tokenId: 'j', credential: 'jwt', expiresAt: new Date((NOW + 60) * 1000) });
    expect(Object.isFrozen(p.claims)).toBe(true);
    expect(principalOf(identity).scopes).not.toBe(p.scopes);
  });

  it('falls back to the client id as subject, and refuses a token with neither', () => {
    expect(identityFromClaims({ ...valid, sub: undefined, client_id: 'svc' }, config()).subject).toBe('svc');
    expect(() => identityFromClaims({ ...valid, sub: undefined }, config())).toThrow(JwtRejection);
  });

  it('claimAt prefers an exact name and never walks prototypes', () => {
    expect(claimAt({ 'a.b': 1, a: { b: 2 } }, 'a.b')).toBe(1);
    expect(claimAt({ a: {} }, 'a.constructor')).toBeUndefined();
  });
});
