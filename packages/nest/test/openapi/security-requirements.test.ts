import { describe, expect, it } from 'vitest';
import { BEARER_SCHEME, scopeAlternatives, securityFor, type NamedSecurityScheme } from '../../src/openapi/security-requirements.js';

const base = { public: false, accepts: 'any' as const, scopes: [] as string[], anyScopes: [] as string[][] };

describe('securityFor', () => {
  const serviceKey: NamedSecurityScheme = { name: 'serviceKey', scheme: { type: 'apiKey', in: 'header', name: 'X-Service-Key' } };
  const schemes = new Map<string, NamedSecurityScheme | undefined>([
    ['jwt', BEARER_SCHEME],
    ['service-key', serviceKey],
    ['partner', undefined],
  ]);
  const jwtOnly = new Map([['jwt', BEARER_SCHEME]]);
  it('is empty for public routes and bearer with scopes otherwise', () => {
    expect(securityFor({ ...base, public: true }, jwtOnly)).toEqual([]);
    expect(securityFor({ ...base, scopes: ['orders:read'] }, jwtOnly)).toEqual([{ bearer: ['orders:read'] }]);
    expect(securityFor(base, jwtOnly)).toEqual([{ bearer: [] }]);
  });

  it('lists one alternative per way to meet any-of groups', () => {
    expect(securityFor({ ...base, scopes: ['a'], anyScopes: [['x', 'y']] }, jwtOnly)).toEqual([{ bearer: ['a', 'x'] }, { bearer: ['a', 'y'] }]);
  });

  it("uses the boundary's schemes, and every configured credential's without a boundary", () => {
    expect(securityFor({ ...base, accepts: ['service-key'] }, schemes)).toEqual([{ serviceKey: [] }]);
    expect(securityFor(base, schemes)).toEqual([{ bearer: [] }, { serviceKey: [] }]);
  });

  it('declares no scheme for a credential without an authenticator or without a scheme', () => {
    expect(securityFor({ ...base, accepts: ['partner'] }, schemes)).toEqual([]);
    expect(securityFor(base, new Map())).toEqual([]);
  });
});

describe('scopeAlternatives', () => {
  it('caps the product of many groups', () => {
    const groups = Array.from({ length: 6 }, (_, i) => [`a${i}`, `b${i}`]);
    const alternatives = scopeAlternatives({ scopes: [], anyScopes: groups });
    expect(alternatives).toHaveLength(1);
    expect(alternatives[0]).toHaveLength(12);
  });
});
