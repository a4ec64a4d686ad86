import { BastionConfigError, assertOptionalBoolean, assertPositiveNumber, assertNonNegativeNumber, isPlainObject } from '../options/assert.js';
import type { RevocationOptions, TokenRulesOptions } from './revocation-options.js';

/** Validates `tokens` and `revocation` at boot. */
export function validateRevocationOptions(tokens: TokenRulesOptions | undefined, revocation: RevocationOptions | undefined): void {
  if (tokens !== undefined) {
    if (!isPlainObject(tokens)) throw new BastionConfigError('tokens', 'must be an object');
    if (tokens.maxLifetime !== false) assertPositiveNumber(tokens.maxLifetime, 'tokens.maxLifetime');
    assertOptionalBoolean(tokens.requireJti, 'tokens.requireJti');
  }
  if (revocation !== undefined) {
    if (!isPlainObject(revocation)) throw new BastionConfigError('revocation', 'must be an object');
    assertOptionalBoolean(revocation.enabled, 'revocation.enabled');
    assertPositiveNumber(revocation.retention, 'revocation.retention');
    assertNonNegativeNumber(revocation.clockTolerance, 'revocation.clockTolerance');
  }
}
