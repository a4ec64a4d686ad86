import type { BastionOptions } from './bastion-options.interface.js';
import { validateAuditOptions } from '../audit/audit-options.validate.js';
import { validateAlertOptions } from '../alerts/alert-options.validate.js';
import { validateRevocationOptions } from '../revocation/revocation-options.validate.js';
import { validateTransportOptions } from '../transport/validate-transport-options.js';
import { BastionConfigError, assertNonEmptyString, assertOneOf, assertOptionalObject, isPlainObject } from './assert.js';
import { validateAuthorizationOptions } from '../authorization/validate-authorization-options.js';
import { validateBruteForceOptions, validateThrottleOptions } from '../throttling/validate-throttle-options.js';
import { validateStoreOptions } from '../stores/store-options.validate.js';
import { validateTelemetryOptions } from '../telemetry/telemetry-options.js';

/**
 * Validates the options once at boot. Each area validates its own section; the first problem stops the
 * app with a message naming the option. Returns the options unchanged. Sections that are resolved as
 * they are checked (`jwt`, `trustedProxies`, `authenticators`, `guards`, `dpop`, `mtls`) are checked by
 * `resolveConfig`, which calls this first.
 */
export function validateOptions(options: BastionOptions): BastionOptions {
  if (!isPlainObject(options)) throw new BastionConfigError('options', 'must be an object');
  if (options.realm !== undefined) assertNonEmptyString(options.realm, 'realm');
  if (options.allowContexts !== undefined) {
    if (!Array.isArray(options.allowContexts)) throw new BastionConfigError('allowContexts', 'must be an array');
    options.allowContexts.forEach((c, i) => assertOneOf(c, ['rpc', 'ws'], `allowContexts[${i}]`));
  }
  assertOptionalObject(options.errors, 'errors');
  if (options.errors?.typeBaseUri !== undefined) assertNonEmptyString(options.errors.typeBaseUri, 'errors.typeBaseUri');
  validateThrottleOptions(options.throttle);
  validateBruteForceOptions(options.bruteForce);
  validateStoreOptions(options.store);
  const o = options as BastionOptions;
  validateAuditOptions(o.audit);
  validateAlertOptions(o.alerts);
  validateRevocationOptions(o.tokens, o.revocation);
  validateTelemetryOptions(o.telemetry);
  validateAuthorizationOptions(options);
  validateTransportOptions(options);
  return options;
}
