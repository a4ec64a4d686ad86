import { describe, expect, it } from 'vitest';
import { BastionConfigError } from '../../src/index.js';
import { validateAuthorizationOptions } from '../../src/authorization/validate-authorization-options.js';

describe('validateAuthorizationOptions', () => {
  it('accepts valid boundaries and a known default', () => {
    expect(() => validateAuthorizationOptions({ strict: false, boundaries: { internal: { accept: ['signature', 'mtls'], clients: ['w'] } }, defaultBoundary: 'internal' })).not.toThrow();
    expect(() => validateAuthorizationOptions({})).not.toThrow();
  });

  it.each([
    [{ strict: 'yes' }, '"strict" must be a boolean'],
    [{ boundaries: [] }, '"boundaries" must be an object'],
    [{ boundaries: { internal: { accept: [] } } }, '"boundaries.internal.accept" must be a non-empty array'],
    [{ boundaries: { internal: { accept: ['Pass Word'] } } }, '"boundaries.internal.accept[0]" must be a credential name'],
    [{ boundaries: { internal: { accept: [42] } } }, '"boundaries.internal.accept[0]" must be a credential name'],
    [{ boundaries: { internal: { accept: ['jwt'], requireScopes: [''] } } }, '"boundaries.internal.requireScopes[0]" must be a non-empty string'],
    [{ boundaries: { internal: { accept: ['jwt'] } }, defaultBoundary: 'public' }, '"defaultBoundary" names no boundary'],
    [{ defaultBoundary: 'public' }, '"defaultBoundary" names no boundary'],
  ])('refuses %j', (options, message) => {
    expect(() => validateAuthorizationOptions(options)).toThrow(BastionConfigError);
    expect(() => validateAuthorizationOptions(options)).toThrow(message);
  });
});
