import { describe, expect, it } from 'vitest';
import { defaultSchemes, scopeAlternatives, securityFor } from '../../src/openapi/security-requirements.js';

const base = { public: false, accepts: 'any' as const, scopes: [] as string[], anyScopes: [] as string[][] };

describe('securityFor', () => {
  const schemes = defaultSchemes();
  it('is empty for public routes and bearer with scopes otherwise', () => {
    expect(securityFor({ ...base, public: true }, schemes)).toEqual([]);
    expect(securityFor({ ...base, scopes: ['orders:read'] }, schemes)).toEqual([{ bearer: ['orders:read'] }]);
    expect(securityFor(base, schemes)).toEqual([{ bearer: [] }]);
  });

  it('lists one alternative per way to meet any-of groups', () => {
    expect(securityFor({ ...base, scopes: ['a'], anyScopes: [['x', 'y']] }, schemes)).toEqual([{ bearer: ['a', 'x'] }, { bearer: ['a', 'y'] }]);
  });

  it("uses the boundary's schemes", () => {
    expect(securityFor({ ...base, accepts: ['signature', 'mtls'] }, schemes)).toEqual([{ httpSignature: [] }, { mutualTLS: [] }]);
    expect(securityFor({ ...base, accepts: ['jwt', 'introspection'] }, schemes)).toEqual([{ bearer: [] }]);
    expect(securityFor({ ...base, accepts: ['jwt', 'dpop'] }, schemes)).toEqual([{ bearer: [] }, { dpop: [] }]);
    expect(schemes.dpop.scheme).toMatchObject({ type: 'http', scheme: 'DPoP' });
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
