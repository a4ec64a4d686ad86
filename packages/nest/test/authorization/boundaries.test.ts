import { describe, expect, it } from 'vitest';
import { acceptsCredential, boundaryViolation, effectiveBoundary } from '../../src/authorization/boundaries.js';
import type { Principal } from '../../src/index.js';

const config = {
  boundaries: { public: { accept: ['jwt' as const] }, internal: { accept: ['signature' as const, 'mtls' as const], requireScopes: ['svc'], clients: ['worker'] } },
  defaultBoundary: 'public',
};
const principal = (p: Partial<Principal>): Principal => ({ subject: 's', scopes: new Set(), roles: new Set(), credential: 'jwt', claims: {}, ...p });

describe('effectiveBoundary', () => {
  it('uses the route boundary, else the default, else none', () => {
    expect(effectiveBoundary(config, 'internal')?.name).toBe('internal');
    expect(effectiveBoundary(config, undefined)?.name).toBe('public');
    expect(effectiveBoundary({}, undefined)).toBeUndefined();
  });

  it('throws on an unknown or inherited name', () => {
    expect(() => effectiveBoundary(config, 'nope')).toThrow('unknown boundary "nope"');
    expect(() => effectiveBoundary(config, 'toString')).toThrow('unknown boundary');
    expect(() => effectiveBoundary({}, 'internal')).toThrow('unknown boundary');
  });
});

describe('boundaryViolation', () => {
  const internal = effectiveBoundary(config, 'internal');
  it('refuses credentials the boundary does not accept, even with every scope', () => {
    expect(acceptsCredential(internal, 'jwt')).toBe(false);
    expect(boundaryViolation(internal, principal({ credential: 'jwt', scopes: new Set(['svc']), clientId: 'worker' }))).toMatch(/jwt not accepted/);
  });

  it('enforces extra scopes and the client list', () => {
    expect(boundaryViolation(internal, principal({ credential: 'signature', clientId: 'worker' }))).toMatch(/svc/);
    expect(boundaryViolation(internal, principal({ credential: 'signature', scopes: new Set(['svc']), subject: 'other' }))).toBe('client not allowed');
    expect(boundaryViolation(internal, principal({ credential: 'mtls', scopes: new Set(['svc']), subject: 'worker' }))).toBeUndefined();
    expect(boundaryViolation(undefined, principal({}))).toBeUndefined();
  });
});
