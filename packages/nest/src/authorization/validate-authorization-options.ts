import { assertCredentialName } from '../authentication/authenticator-entries.js';
import { BastionConfigError, assertNonEmptyString, assertOptionalBoolean, isPlainObject } from '../options/assert.js';

/**
 * Validates `strict`, `boundaries` and `defaultBoundary`; throws `BastionConfigError` naming the option.
 * Whether each accepted credential has an authenticator is checked once they are known (module init).
 */
export function validateAuthorizationOptions(options: { strict?: unknown; boundaries?: unknown; defaultBoundary?: unknown }): void {
  assertOptionalBoolean(options.strict, 'strict');
  const { boundaries, defaultBoundary } = options;
  if (boundaries !== undefined) {
    if (!isPlainObject(boundaries)) throw new BastionConfigError('boundaries', 'must be an object of named boundaries');
    for (const [name, boundary] of Object.entries(boundaries)) {
      const path = `boundaries.${name}`;
      if (!isPlainObject(boundary)) throw new BastionConfigError(path, 'must be an object');
      const accept = boundary.accept;
      if (!Array.isArray(accept) || accept.length === 0) throw new BastionConfigError(`${path}.accept`, 'must be a non-empty array of credential types (e.g. "jwt")');
      accept.forEach((c, i) => {
        if (!Array.isArray(c)) return assertCredentialName(c, `${path}.accept[${i}]`);
        // A combination: two or more different types; whether a built-in verifies it is checked at module init.
        c.forEach((t, j) => assertCredentialName(t, `${path}.accept[${i}][${j}]`));
        if (c.length < 2 || new Set(c).size !== c.length) throw new BastionConfigError(`${path}.accept[${i}]`, 'must list two or more different credential types presented together (e.g. ["api-key", "signature"])');
      });
      for (const list of ['requireScopes', 'clients'] as const) {
        const value = boundary[list];
        if (value === undefined) continue;
        if (!Array.isArray(value) || value.length === 0) throw new BastionConfigError(`${path}.${list}`, 'must be a non-empty array of strings');
        value.forEach((v, i) => assertNonEmptyString(v, `${path}.${list}[${i}]`));
      }
    }
  }
  if (defaultBoundary !== undefined) {
    assertNonEmptyString(defaultBoundary, 'defaultBoundary');
    if (!isPlainObject(boundaries) || !Object.hasOwn(boundaries, defaultBoundary)) {
      throw new BastionConfigError('defaultBoundary', `names no boundary in "boundaries"`);
    }
  }
}
