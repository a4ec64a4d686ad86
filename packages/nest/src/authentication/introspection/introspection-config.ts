import { resolveClientAuth, type ClientAuth } from '../../oauth-client/client-auth.js';
import { BastionConfigError, assertNonNegativeNumber, assertOptionalBoolean, assertPositiveNumber, isPlainObject } from '../../options/assert.js';
import { assertFetchableUrl } from '../jwt/jwt-config.js';
import type { IntrospectionOptions } from './introspection-options.js';

/** One issuer's introspection settings, validated, with defaults applied; times in milliseconds. */
export interface IntrospectionConfig {
  /** Configured endpoint; `undefined` when it comes from the discovery document. */
  readonly endpoint: string | undefined;
  readonly auth: ClientAuth;
  readonly prefixes: readonly string[];
  readonly timeout: number;
  readonly cache: { readonly maxTtl: number; readonly inactiveTtl: number; readonly size: number };
  readonly requireAudience: boolean;
}

/** Timeouts beyond this would hold requests (and sockets) hostage to a slow authorization server. */
const MAX_TIMEOUT_SECONDS = 30;

function prefixesOf(value: unknown, path: string): string[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || list.some((p) => typeof p !== 'string' || p === '')) {
    throw new BastionConfigError(path, 'must be a non-empty string or array of non-empty strings');
  }
  return [...new Set(list as string[])];
}

/**
 * Validates an issuer's `introspection` option at boot. `path` names the option in errors; the endpoint
 * must be configured unless the issuer uses discovery.
 */
export function resolveIntrospection(
  options: IntrospectionOptions,
  path: string,
  issuer: { allowInsecureHttp: boolean; discovery: boolean },
): IntrospectionConfig {
  if (!isPlainObject(options)) throw new BastionConfigError(path, 'must be an object');
  if (options.endpoint !== undefined) assertFetchableUrl(options.endpoint, `${path}.endpoint`, issuer.allowInsecureHttp);
  else if (!issuer.discovery) throw new BastionConfigError(`${path}.endpoint`, 'is required unless the issuer has "discovery": true');
  const auth = resolveClientAuth(options, path);
  assertPositiveNumber(options.timeout, `${path}.timeout`);
  if ((options.timeout ?? 0) > MAX_TIMEOUT_SECONDS) throw new BastionConfigError(`${path}.timeout`, `must be at most ${MAX_TIMEOUT_SECONDS} seconds`);
  if (options.cache !== undefined && !isPlainObject(options.cache)) throw new BastionConfigError(`${path}.cache`, 'must be an object');
  const cache = options.cache ?? {};
  assertNonNegativeNumber(cache.maxTtl, `${path}.cache.maxTtl`);
  assertNonNegativeNumber(cache.inactiveTtl, `${path}.cache.inactiveTtl`);
  const size: unknown = cache.size;
  if (size !== undefined && (typeof size !== 'number' || !Number.isInteger(size) || size < 0)) throw new BastionConfigError(`${path}.cache.size`, 'must be an integer ≥ 0');
  assertOptionalBoolean(options.requireAudience, `${path}.requireAudience`);
  return {
    endpoint: options.endpoint,
    auth,
    prefixes: prefixesOf(options.tokenPrefix, `${path}.tokenPrefix`),
    timeout: (options.timeout ?? 3) * 1000,
    cache: { maxTtl: (cache.maxTtl ?? 60) * 1000, inactiveTtl: (cache.inactiveTtl ?? 30) * 1000, size: (size as number | undefined) ?? 10_000 },
    requireAudience: options.requireAudience !== false,
  };
}
