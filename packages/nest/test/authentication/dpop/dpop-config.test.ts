import { describe, expect, it } from 'vitest';
import { resolveDpopOptions } from '../../../src/authentication/dpop/dpop-config.js';
import { BastionConfigError } from '../../../src/options/assert.js';
import { resolveConfig } from '../../../src/options/resolve-config.js';
import type { BastionOptions } from '../../../src/options/bastion-options.interface.js';

const jwt = { issuer: 'https://id.example.com', audience: 'api', jwksUri: 'https://id.example.com/jwks' };

describe('dpop options', () => {
  it('applies the defaults', () => {
    expect(resolveDpopOptions({})).toEqual({
      algorithms: new Set(['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA']),
      algs: 'ES256 ES384 PS256 RS256 EdDSA',
      mode: 'allowed',
      maxAge: 60,
      clockTolerance: 5,
      nonceRotationMs: undefined,
      origins: undefined,
    });
    expect(resolveDpopOptions({ nonce: true })?.nonceRotationMs).toBe(300_000);
    expect(resolveDpopOptions({ nonce: { rotation: 30 }, origins: ['HTTPS://API.example.com:443'] })).toMatchObject({ nonceRotationMs: 30_000, origins: ['https://api.example.com'] });
  });

  it.each([
    [{ dpop: { algorithms: ['HS256'] }, jwt }, 'dpop.algorithms[0]'],
    [{ dpop: { algorithms: ['none'] }, jwt }, 'dpop.algorithms[0]'],
    [{ dpop: { algorithms: [] }, jwt }, 'dpop.algorithms'],
    [{ dpop: { mode: 'sometimes' }, jwt }, 'dpop.mode'],
    [{ dpop: { maxAge: 3600 }, jwt }, 'dpop.maxAge'],
    [{ dpop: { clockTolerance: -1 }, jwt }, 'dpop.clockTolerance'],
    [{ dpop: { nonce: { rotation: 1 } }, jwt }, 'dpop.nonce.rotation'],
    [{ dpop: { nonce: 'yes' }, jwt }, 'dpop.nonce'],
    [{ dpop: { origins: ['https://api.example.com/v1'] }, jwt }, 'dpop.origins[0]'],
    [{ dpop: { origins: ['api.example.com'] }, jwt }, 'dpop.origins[0]'],
    [{ dpop: {} }, 'dpop'],
    [{ issuers: [], dpop: {} }, 'issuers'],
    [{ jwt, boundaries: { b: { accept: ['jwt', 'dpop'], dpop: 'required' } } }, 'boundaries.b.dpop'],
    [{ jwt, dpop: {}, boundaries: { b: { accept: ['jwt'], dpop: 'required' } } }, 'boundaries.b.dpop'],
    [{ jwt, dpop: {}, boundaries: { b: { accept: ['dpop'], dpop: 'disabled' } } }, 'boundaries.b.dpop'],
    [{ jwt, dpop: {}, boundaries: { b: { accept: ['jwt', 'dpop'], dpop: 'maybe' } } }, 'boundaries.b.dpop'],
  ])('refuses %j at boot, naming %s', (options, path) => {
    expect(() => resolveConfig(options as BastionOptions)).toThrow(BastionConfigError);
    expect(() => resolveConfig(options as BastionOptions)).toThrow(`"${path}"`);
  });

  it('accepts a boundary mode that agrees with its accept list', () => {
    expect(() => resolveConfig({ jwt, dpop: {}, boundaries: { pay: { accept: ['jwt', 'dpop'], dpop: 'required' }, legacy: { accept: ['jwt'], dpop: 'disabled' } } })).not.toThrow();
  });

  it('takes its trust list from "jwt" or "issuers" (introspection only included), resolved once into the configuration', () => {
    const introspected = { issuer: 'https://as.example.com', audience: 'api', introspection: { endpoint: 'https://as.example.com/introspect', clientId: 'rs', clientSecret: 'a-long-enough-client-secret-for-tests' } };
    const config = resolveConfig({ issuers: [introspected], dpop: { nonce: true } });
    expect(config.dpop).toMatchObject({ mode: 'allowed', nonceRotationMs: 300_000 });
    expect(Object.isFrozen(config.dpop)).toBe(true);
    expect(resolveConfig({ jwt }).dpop).toBeUndefined();
  });
});
