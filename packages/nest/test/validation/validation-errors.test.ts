import { describe, expect, it } from 'vitest';
import { toFieldErrors } from '../../src/validation/validation-errors.js';

describe('toFieldErrors', () => {
  it('flattens nested errors to dotted paths and keeps only constraint names', () => {
    const errors = [
      { property: 'name', constraints: { isString: 'name must be a string, got "secret"' } },
      { property: 'items', children: [{ property: '1', children: [{ property: 'name', constraints: { maxLength: 'too long', isString: 'x' } }] }] },
    ];
    expect(toFieldErrors(errors)).toEqual([
      { field: 'name', constraint: 'isString' },
      { field: 'items.1.name', constraint: 'maxLength' },
      { field: 'items.1.name', constraint: 'isString' },
    ]);
    expect(JSON.stringify(toFieldErrors(errors))).not.toContain('secret');
  });

  it('never sends back a client-written property name that is not a plain name', () => {
    expect(toFieldErrors([{ property: '<script>alert(1)</script>', constraints: { whitelistValidation: '' } }])).toEqual([{ field: '(invalid name)', constraint: 'whitelistValidation' }]);
  });

  it('gives root errors an empty field and caps the list', () => {
    expect(toFieldErrors([{ property: '', constraints: { unknownValue: '' } }])).toEqual([{ field: '', constraint: 'unknownValue' }]);
    const many = Array.from({ length: 100 }, (_, i) => ({ property: `k${i}`, constraints: { whitelistValidation: '' } }));
    expect(toFieldErrors(many)).toHaveLength(50);
  });
});
