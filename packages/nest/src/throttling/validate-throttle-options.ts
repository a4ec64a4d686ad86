import { BastionConfigError, assertOneOf, assertOptionalBoolean, assertOptionalObject, assertPositiveNumber, isPlainObject } from '../options/assert.js';
import type { BruteForceOptions, ThrottleOptions } from './throttle-options.js';

function assertRateLimit(value: unknown, path: string): void {
  if (value === undefined) return;
  if (!isPlainObject(value)) throw new BastionConfigError(path, 'must be an object { limit, ttl }');
  assertPositiveNumber(value.limit, `${path}.limit`, false);
  assertPositiveNumber(value.ttl, `${path}.ttl`, false);
  if (!Number.isInteger(value.limit)) throw new BastionConfigError(`${path}.limit`, 'must be an integer');
}

function assertRateLimitMap(value: unknown, path: string): void {
  assertOptionalObject(value, path);
  for (const [name, limit] of Object.entries(value ?? {})) assertRateLimit(limit, `${path}.${name}`);
}

/** Validates `throttle`. */
export function validateThrottleOptions(input: unknown): void {
  assertOptionalObject(input, 'throttle');
  if (!input) return;
  const value = input as ThrottleOptions;
  assertOptionalBoolean(value.enabled, 'throttle.enabled');
  assertRateLimit(value.principal, 'throttle.principal');
  assertRateLimit(value.anonymous, 'throttle.anonymous');
  if (value.principalKey !== undefined && typeof value.principalKey !== 'function') assertOneOf(value.principalKey, ['subject', 'client'], 'throttle.principalKey');
  assertRateLimitMap(value.scopes, 'throttle.scopes');
  assertRateLimitMap(value.boundaries, 'throttle.boundaries');
  if (value.failMode !== undefined) assertOneOf(value.failMode, ['open', 'closed'], 'throttle.failMode');
  assertOptionalBoolean(value.headers, 'throttle.headers');
}

/** Validates `bruteForce`. */
export function validateBruteForceOptions(input: unknown): void {
  assertOptionalObject(input, 'bruteForce');
  if (!input) return;
  const value = input as BruteForceOptions;
  assertOptionalBoolean(value.enabled, 'bruteForce.enabled');
  for (const key of ['maxFailures', 'windowMs', 'blockMs', 'maxBlockMs', 'identityAlertThreshold'] as const) {
    assertPositiveNumber(value[key], `bruteForce.${key}`);
  }
  if (value.blockMs !== undefined && value.maxBlockMs !== undefined && value.maxBlockMs < value.blockMs) {
    throw new BastionConfigError('bruteForce.maxBlockMs', 'must be ≥ bruteForce.blockMs');
  }
}
