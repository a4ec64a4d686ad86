import { describe, expect, it } from 'vitest';
import { resolveIssuers } from '../../src/authentication/issuers/resolve-issuers.js';
import { issuerSchemes } from '../../src/openapi/issuer-schemes.js';
import { scopeAlternatives, securityFor, type OpenApiScheme } from '../../src/openapi/security-requirements.js';

const base = { public: false, accepts: 'any' as const, scopes: [] as string[], anyScopes: [] as string[][] };
const oidc: OpenApiScheme = { name: 'oidc', scoped: true, scheme: { type: 'openIdConnect', openIdConnectUrl: 'https://id.example/.well-known/openid-configuration' } };
const bearer: OpenApiScheme = { name: 'bearer', scoped: false, scheme: { type: 'http', scheme: 'bearer' } };

describe('securityFor', () => {
  it('is empty for public routes; scoped schemes carry the scopes', () => {
    expect(securityFor({ ...base, public: true }, { jwt: [oidc] }).security).toEqual([]);
    expect(securityFor({ ...base, scopes: ['orders:read'] }, { jwt: [oidc] })).toEqual({ security: [{ oidc: ['orders:read'] }], schemes: [oidc], scopesInExtension: false });
  });

  it('never puts scopes on a scheme that cannot carry them (OpenAPI 3.0 §4.7.30): they go to x-bastion', () => {
    expect(securityFor({ ...base, scopes: ['orders:read'] }, { jwt: [bearer] })).toEqual({ security: [{ bearer: [] }], schemes: [bearer], scopesInExtension: true });
    expect(securityFor(base, { jwt: [bearer] }).scopesInExtension).toBe(false);
  });

  it('lists one alternative per issuer and per way to meet any-of groups', () => {
    const other = { ...oidc, name: 'oidc_b' };
    expect(securityFor({ ...base, scopes: ['a'], anyScopes: [['x', 'y']] }, { jwt: [oidc], introspection: [other, oidc] }).security).toEqual([
      { oidc: ['a', 'x'] },
      { oidc: ['a', 'y'] },
      { oidc_b: ['a', 'x'] },
      { oidc_b: ['a', 'y'] },
    ]);
  });

  it("uses only the schemes of the boundary's credentials, and declares none for a credential without an authenticator", () => {
    expect(securityFor({ ...base, accepts: ['introspection'] }, { jwt: [bearer], introspection: [oidc] }).security).toEqual([{ oidc: [] }]);
    expect(securityFor({ ...base, accepts: ['signature', 'mtls'] }, { jwt: [bearer] })).toEqual({ security: [], schemes: [], scopesInExtension: false });
  });

  it("describes custom credentials by their authenticator's schemes, every configured one without a boundary", () => {
    const serviceKey: OpenApiScheme = { name: 'serviceKey', scoped: false, scheme: { type: 'apiKey', in: 'header', name: 'X-Service-Key' } };
    const schemes = { jwt: [oidc], 'service-key': [serviceKey], partner: [] };
    expect(securityFor({ ...base, accepts: ['service-key'] }, schemes).security).toEqual([{ serviceKey: [] }]);
    expect(securityFor(base, schemes).security).toEqual([{ oidc: [] }, { serviceKey: [] }]);
    // A credential OpenAPI cannot describe contributes no scheme (the document names it under x-bastion).
    expect(securityFor({ ...base, accepts: ['partner'] }, schemes)).toEqual({ security: [], schemes: [], scopesInExtension: false });
    expect(securityFor(base, {}).security).toEqual([]);
  });
});

describe('issuerSchemes', () => {
  it('openIdConnect with discovery, oauth2 with a token URL, plain bearer otherwise; one name per issuer when several', () => {
    const configs = resolveIssuers({
      jwt: [
        { issuer: 'https://a.example/realms/x', audience: 'api', discovery: true },
        { issuer: 'https://b.example', audience: 'api', jwksUri: 'https://b.example/jwks' },
        { issuer: 'https://c.example', audience: 'api', jwksUri: 'https://c.example/jwks' },
      ],
    });
    const schemes = issuerSchemes(configs, { 'https://c.example': { tokenUrl: 'https://c.example/token' } });
    expect(schemes.get('https://a.example/realms/x')).toEqual({ name: 'oidc_a_example_realms_x', scoped: true, scheme: expect.objectContaining({ type: 'openIdConnect', openIdConnectUrl: 'https://a.example/realms/x/.well-known/openid-configuration' }) });
    expect(schemes.get('https://b.example')).toEqual({ name: 'bearer', scoped: false, scheme: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } });
    expect(schemes.get('https://c.example')).toMatchObject({ name: 'oauth2_c_example', scoped: true, scheme: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://c.example/token', scopes: {} } } } });
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
