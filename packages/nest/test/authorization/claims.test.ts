import { describe, expect, it } from 'vitest';
import { claimMatches } from '../../src/authorization/claim-match.policy.js';
import { claimAt, claimEquals, claimIncludes } from '../../src/authorization/claims.js';

describe('claimAt', () => {
  const claims = { sub: 'u1', realm_access: { roles: ['admin'] }, 'https://example.com/roles': ['r'], list: [{ a: 1 }] };

  it('reads top-level, dotted and dotted-name claims', () => {
    expect(claimAt(claims, 'sub')).toBe('u1');
    expect(claimAt(claims, 'realm_access.roles')).toEqual(['admin']);
    expect(claimAt(claims, 'https://example.com/roles')).toEqual(['r']);
  });

  it('never walks into prototypes, arrays or missing members', () => {
    expect(claimAt(claims, '__proto__')).toBeUndefined();
    expect(claimAt(claims, 'realm_access.constructor')).toBeUndefined();
    expect(claimAt(claims, 'list.0.a')).toBeUndefined();
    expect(claimAt(claims, 'nope.deeper')).toBeUndefined();
  });
});

describe('claimEquals / claimIncludes', () => {
  it('compares primitives by string form, never objects or empty strings', () => {
    expect(claimEquals('42', 42)).toBe(true);
    expect(claimEquals('a', 'a')).toBe(true);
    expect(claimEquals('a', 'b')).toBe(false);
    expect(claimEquals('', '')).toBe(false);
    expect(claimEquals(undefined, undefined)).toBe(false);
    expect(claimEquals(['a'], 'a')).toBe(false);
    expect(claimEquals({ toString: () => 'a' }, 'a')).toBe(false);
    expect(claimEquals(true, 'true')).toBe(false);
    expect(claimEquals(true, true)).toBe(true);
  });

  it('finds a value in an array or a space-separated string', () => {
    expect(claimIncludes(['staff', 'ops'], 'ops')).toBe(true);
    expect(claimIncludes('a b c', 'b')).toBe(true);
    expect(claimIncludes('abc', 'b')).toBe(false);
    expect(claimIncludes({ staff: true }, 'staff')).toBe(false);
  });
});

describe('claimMatches', () => {
  const claims = { tenant: 't1', groups: ['staff'] };
  it('supports equals, includes and param', () => {
    expect(claimMatches({ claim: 'tenant', equals: 't1' }, claims, {})).toBe(true);
    expect(claimMatches({ claim: 'tenant', equals: 't2' }, claims, {})).toBe(false);
    expect(claimMatches({ claim: 'groups', includes: 'staff' }, claims, {})).toBe(true);
    expect(claimMatches({ claim: 'tenant', param: 'tenantId' }, claims, { tenantId: 't1' })).toBe(true);
    expect(claimMatches({ claim: 'tenant', param: 'tenantId' }, claims, {})).toBe(false);
  });
});
