import type { AuthenticatorEntry } from '../core/bastion-config.js';
import { BastionConfigError } from '../options/assert.js';

/** Credential names: lower-case words joined by `-`, `_` or `.` (`partner-token`), at most 64 characters. */
const CREDENTIAL_NAME = /^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/;

/** Throws unless `name` is a usable credential type name. */
export function assertCredentialName(name: unknown, path: string): asserts name is string {
  if (typeof name !== 'string' || name.length > 64 || !CREDENTIAL_NAME.test(name)) {
    throw new BastionConfigError(path, 'must be a credential name: lower-case letters and digits, words joined by "-", "_" or "." (e.g. "partner-token")');
  }
}

/** Throws unless `value` implements the Authenticator port (credential name, `isPresented`, `authenticate`). */
export function assertAuthenticator(value: unknown, path: string): void {
  const a = value as { credential?: unknown; isPresented?: unknown; authenticate?: unknown } | null;
  if (typeof a !== 'object' || a === null) throw new BastionConfigError(path, 'must be an Authenticator (credential, isPresented, authenticate) or an injectable class implementing it');
  assertCredentialName(a.credential, `${path}.credential`);
  if (typeof a.isPresented !== 'function') throw new BastionConfigError(`${path}.isPresented`, 'must be a function (ctx) => boolean');
  if (typeof a.authenticate !== 'function') throw new BastionConfigError(`${path}.authenticate`, 'must be a function (ctx) => Promise<Principal>');
}

/**
 * Validates the `authenticators` option at boot: instances are checked now, classes when Nest has
 * instantiated them (at module init).
 */
export function validateAuthenticatorEntries(value: unknown): AuthenticatorEntry[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new BastionConfigError('authenticators', 'must be an array of authenticators or authenticator classes');
  value.forEach((entry, i) => {
    if (typeof entry !== 'function') assertAuthenticator(entry, `authenticators[${i}]`);
  });
  return [...value] as AuthenticatorEntry[];
}
