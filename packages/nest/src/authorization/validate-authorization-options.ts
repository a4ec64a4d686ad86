import { BastionConfigError, assertNonEmptyString, assertOptionalBoolean, isPlainObject } from '../options/assert.js';
import type { CredentialType } from '../core/principal.js';

const CREDENTIALS: readonly CredentialType[] = ['jwt', 'introspection', 'api-key', 'signature', 'mtls'];

/** Validates `strict`, `boundaries` and `defaultBoundary`; throws `BastionConfigError` naming the option. */
export function validateAuthorizationOptions(options: { strict?: unknown; boundaries?: unknown; defaultBoundary?: unknown }): void {
  assertOptionalBoolean(options.strict, 'strict');
  const { boundaries, defaultBoundary } = options;
  if (boundaries !== undefined) {
    if (!isPlainObject(boundaries)) throw new BastionConfigError('boundaries', 'must be an object of named boundaries');
    for (const [name, boundary] of Object.entries(boundaries)) {
      const path = `boundaries.${name}`;
      if (!isPlainObject(boundary)) throw new BastionConfigError(path, 'must be an object');
      const accept = boundary.accept;
      if (!Array.isArray(accept) || accept.length === 0) throw new BastionConfigError(`${path}.accept`, `must be a non-empty array of ${CREDENTIALS.join(', ')}`);
      accept.forEach((c, i) => {
        if (Array.isArray(c)) {
          // A combination: only the one with an authenticator behind it is accepted (nothing is advertised that does not exist).
          const sorted = [...c].sort();
          if (sorted.length !== 2 || sorted[0] !== 'api-key' || sorted[1] !== 'signature') {
            throw new BastionConfigError(`${path}.accept[${i}]`, 'must be a credential type or the combination ["api-key", "signature"]');
          }
        } else if (!CREDENTIALS.includes(c as CredentialType)) throw new BastionConfigError(`${path}.accept[${i}]`, `must be one of ${CREDENTIALS.join(', ')}`);
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
