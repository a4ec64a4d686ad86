import { describe, expect, it } from 'vitest';
import { ClaimMatchPolicy, OwnershipPolicy, type Policy, type PolicyContext, type Principal } from '../../src/index.js';
import { fakeContext } from '../support/request-context.js';

const principal: Principal = { subject: 'alice', scopes: new Set(), roles: new Set(), credential: 'jwt', claims: { sub: 'alice', org: { id: 42 } } };
const ctx = (params: Record<string, string>): PolicyContext => ({ principal, request: { headers: {} }, context: fakeContext(), params, query: {}, body: undefined, handler: 'C.m' });

describe('OwnershipPolicy', () => {
  it('refuses ambiguous options at definition time', () => {
    expect(() => OwnershipPolicy({})).toThrow('exactly one of "param" or "resource"');
    expect(() => OwnershipPolicy({ param: 'id', resource: () => ({}) })).toThrow('exactly one');
  });

  it('names the class, defaults to 404 and compares a claim with a param', async () => {
    const Owner = OwnershipPolicy({ name: 'OrgOwner', claim: 'org.id', param: 'orgId' });
    expect(Owner.name).toBe('OrgOwner');
    const policy = new (Owner as new (...args: unknown[]) => Policy)(undefined);
    expect(policy.onDeny).toBe('not-found');
    expect(await policy.evaluate(ctx({ orgId: '42' }))).toBe(true);
    expect(await policy.evaluate(ctx({ orgId: '43' }))).toBe(false);
    expect(await policy.evaluate(ctx({}))).toBe(false);
  });

  it('denies when the resolver finds nothing, or an owner field that is not a primitive', async () => {
    const found = new Map<string, unknown>([['1', { ownerId: 'alice' }], ['2', { ownerId: ['alice'] }]]);
    const Owner = OwnershipPolicy({ resource: (c) => found.get(c.params.id!) });
    const policy = new (Owner as new (...args: unknown[]) => Policy)(undefined);
    expect(await policy.evaluate(ctx({ id: '1' }))).toBe(true);
    expect(await policy.evaluate(ctx({ id: '2' }))).toBe(false);
    expect(await policy.evaluate(ctx({ id: '3' }))).toBe(false);
  });
});

describe('ClaimMatchPolicy', () => {
  it('needs a claim and exactly one comparison', () => {
    expect(() => ClaimMatchPolicy({ claim: 'x' })).toThrow('exactly one of');
    expect(() => ClaimMatchPolicy({ claim: 'x', equals: 'a', includes: 'b' })).toThrow('exactly one of');
    expect(() => ClaimMatchPolicy({ claim: '', equals: 'a' })).toThrow('give a "claim"');
    const policy = new (ClaimMatchPolicy({ claim: 'org.id', equals: 42 }) as new () => Policy)();
    expect(policy.onDeny).toBe('forbidden');
    expect(policy.evaluate(ctx({}))).toBe(true);
  });
});
