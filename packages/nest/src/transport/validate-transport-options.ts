import { BastionConfigError, assertOptionalBoolean, assertOptionalObject, assertPositiveNumber, isPlainObject } from '../options/assert.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';

function assertStringList(value: unknown, path: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === '')) throw new BastionConfigError(path, 'must be an array of non-empty strings');
}

function validateCors(cors: unknown): void {
  if (cors === undefined) return;
  if (!isPlainObject(cors)) throw new BastionConfigError('cors', 'must be an object');
  const origins = cors['origins'];
  if (!Array.isArray(origins) || origins.length === 0) throw new BastionConfigError('cors.origins', 'must be a non-empty array of origins');
  origins.forEach((origin, i) => {
    if (origin instanceof RegExp || origin === '*') return;
    if (typeof origin !== 'string' || !/^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i.test(origin)) {
      throw new BastionConfigError(`cors.origins[${i}]`, 'must be an origin (scheme://host[:port]), "https://*.host", a RegExp or "*"');
    }
  });
  assertOptionalBoolean(cors['credentials'], 'cors.credentials');
  // Fetch §3.2.5 forbids `*` with credentials; a reflected wildcard would hand every site the user's session.
  if (cors['credentials'] === true && origins.includes('*')) {
    throw new BastionConfigError('cors.credentials', 'cannot be true when "cors.origins" contains "*": list the allowed origins');
  }
  assertStringList(cors['methods'], 'cors.methods');
  assertStringList(cors['allowedHeaders'], 'cors.allowedHeaders');
  assertStringList(cors['exposedHeaders'], 'cors.exposedHeaders');
  if (cors['maxAge'] !== undefined) assertPositiveNumber(cors['maxAge'], 'cors.maxAge');
}

// RFC 9110 §5.1: a field name is a token; §5.5: a field value has no CR, LF or NUL (nor other controls but HTAB).
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Boot-time checks of the transport options; the first problem stops the app naming the option. */
export function validateTransportOptions<T extends BastionOptions>(options: T): T {
  if (options.headers !== undefined && options.headers !== false) {
    if (!isPlainObject(options.headers)) throw new BastionConfigError('headers', 'must be an object or false');
    for (const [name, value] of Object.entries(options.headers)) {
      if (value !== false && typeof value !== 'string') throw new BastionConfigError(`headers.${name}`, 'must be a string or false');
      // Refused here rather than by Node's setHeader() on every response (each would become a 500).
      if (!FIELD_NAME.test(name)) throw new BastionConfigError(`headers.${name}`, 'is not a valid header name (RFC 9110 §5.1 token)');
      if (value !== false && !FIELD_VALUE.test(value)) throw new BastionConfigError(`headers.${name}`, 'must not contain control characters such as CR or LF (RFC 9110 §5.5)');
    }
  }
  validateCors(options.cors);
  const https: Record<string, unknown> | undefined = options.https as never;
  assertOptionalObject(https, 'https');
  assertOptionalBoolean(https?.['enforce'], 'https.enforce');
  assertOptionalBoolean(https?.['allowLocal'], 'https.allowLocal');
  if (https?.['redirectTo'] !== undefined && !/^https:\/\/[^/?#]+\/?$/i.test(String(https['redirectTo']))) {
    throw new BastionConfigError('https.redirectTo', 'must be an https origin such as "https://api.example.com"');
  }
  assertStringList(options.contentTypes, 'contentTypes');
  assertOptionalObject(options.limits, 'limits');
  for (const [key, value] of Object.entries(options.limits ?? {})) assertPositiveNumber(value, `limits.${key}`);
  assertOptionalObject(options.timeouts, 'timeouts');
  for (const [key, value] of Object.entries(options.timeouts ?? {})) assertPositiveNumber(value, `timeouts.${key}`);
  const validation: Record<string, unknown> | undefined = options.validation as never;
  assertOptionalObject(validation, 'validation');
  assertOptionalBoolean(validation?.['enabled'], 'validation.enabled');
  return options;
}
