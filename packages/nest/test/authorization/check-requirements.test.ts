import { describe, expect, it } from 'vitest';
import { checkRoles, checkScopes } from '../../src/authorization/check-requirements.js';

describe('checkScopes', () => {
  it('passes when every all-of scope and one scope of each any-of group is granted', () => {
    expect(checkScopes(new Set(['a', 'b', 'y']), ['a', 'b'], [['x', 'y']])).toEqual({ ok: true });
    expect(checkScopes(new Set(), [], [])).toEqual({ ok: true });
  });

  it('lists missing all-of scopes and the full required list for the challenge', () => {
    expect(checkScopes(new Set(['a']), ['a', 'b'], [])).toEqual({ ok: false, missing: ['b'], required: ['a', 'b'] });
    expect(checkScopes(new Set(), ['a', 'b'], [])).toEqual({ ok: false, missing: ['a', 'b'], required: ['a', 'b'] });
  });

  it('fails an any-of group with none granted and names only unmet groups', () => {
    expect(checkScopes(new Set(['a']), ['a'], [['x', 'y'], ['a', 'z']])).toEqual({ ok: false, missing: ['x', 'y'], required: ['a', 'x', 'y'] });
  });

  it('does not match by prefix or case', () => {
    expect(checkScopes(new Set(['orders:read:all', 'ORDERS:READ']), ['orders:read'], []).ok).toBe(false);
  });
});

describe('checkRoles', () => {
  it('needs one role of every group', () => {
    expect(checkRoles(new Set(['staff', 'auditor']), [['staff'], ['admin', 'auditor']])).toEqual({ ok: true });
    expect(checkRoles(new Set(['staff']), [['staff'], ['admin', 'auditor']])).toEqual({
      ok: false,
      missing: ['admin', 'auditor'],
      required: ['staff', 'admin', 'auditor'],
    });
    expect(checkRoles(new Set(), []).ok).toBe(true);
  });
});
