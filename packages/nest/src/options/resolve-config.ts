import { Logger } from '@nestjs/common';
import { validateAuthenticatorEntries } from '../authentication/authenticator-entries.js';
import { resolveCredentialConfigs } from '../authentication/credential-config.js';
import { resolveDpopConfig } from '../authentication/dpop/dpop-config.js';
import { withDpopCors } from '../authentication/dpop/dpop-cors.js';
import { resolveIssuers } from '../authentication/issuers/resolve-issuers.js';
import { resolveGraphqlOptions } from '../graphql/graphql-options.js';
import { resolveMtlsConfig } from '../authentication/mtls/mtls-config.js';
import type { BastionConfig } from '../core/bastion-config.js';
import { DEFAULT_TRUSTED_PROXIES, InvalidProxyRangeError, TrustedProxies } from '../net/trusted-proxies.js';
import { UntrustedForwardingWarning } from '../net/untrusted-forwarding.js';
import { resolveRevocationSettings } from '../revocation/revocation-settings.js';
import type { StoreOptions } from '../stores/store-options.js';
import { resolveWebSocketOptions } from '../sockets/websocket-options.js';
import { resolveBruteForceOptions, resolveThrottleOptions } from '../throttling/throttle-options.js';
import { resolveTransport } from '../transport/resolved-transport.js';
import { BastionConfigError } from './assert.js';
import type { BastionOptions } from './bastion-options.interface.js';
import { resolveGuards } from './guards-options.js';
import { validateOptions } from './validate-options.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A deeply frozen copy of the plain objects and arrays in `value`. Everything else (class instances such
 * as a Redis client, a logger or `TrustedProxies`, functions, `RegExp`s, byte arrays) is shared as is:
 * freezing what belongs to someone else could break it.
 */
export function frozenCopy<T>(value: T): T {
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy)) as T;
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) copy[key] = frozenCopy(member);
  return Object.freeze(copy) as T;
}

// Objects `store` hands over (a Redis client, custom ports): used as given, never copied or frozen.
const PASSED_IN = new Set(['client', 'store', 'securityStore']);

/** `store` frozen around the objects it hands over, which stay the very objects passed in. */
function storeOf(value: StoreOptions | undefined): StoreOptions | undefined {
  if (value === undefined) return undefined;
  const freeze = (o: Record<string, unknown>): Record<string, unknown> =>
    Object.freeze(Object.fromEntries(Object.entries(o).map(([k, v]) => [k, PASSED_IN.has(k) ? v : k === 'security' && isPlainObject(v) ? freeze(v) : frozenCopy(v)])));
  return freeze(value as unknown as Record<string, unknown>) as unknown as StoreOptions;
}

/** The options as given, deeply frozen; `store` is the one {@link storeOf} froze. */
function frozenOptions(options: BastionOptions, store: StoreOptions | undefined): Readonly<BastionOptions> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) copy[key] = key === 'store' ? store : frozenCopy(value);
  return Object.freeze(copy) as BastionOptions;
}

/** `trustedProxies` validated and built once (default: the host's own proxy on 127.0.0.1 / ::1). */
function trustedProxiesOf(value: unknown): TrustedProxies {
  if (value === undefined) return new TrustedProxies(DEFAULT_TRUSTED_PROXIES);
  if (!Array.isArray(value)) throw new BastionConfigError('trustedProxies', 'must be an array of addresses or CIDR ranges');
  try {
    return new TrustedProxies(value as string[]);
  } catch (error) {
    if (error instanceof InvalidProxyRangeError) throw new BastionConfigError(`trustedProxies[${error.index}]`, error.message);
    throw error;
  }
}

/**
 * Validates the options once and resolves them into the one immutable {@link BastionConfig} every part
 * of Bastion reads: defaults applied, the trust list resolved with its static keys imported, store,
 * revocation, throttle, brute-force and transport settings resolved, the trusted-proxy list built. The
 * first problem stops the app with a `BastionConfigError` naming the option.
 */
export function resolveConfig(options: BastionOptions): BastionConfig {
  validateOptions(options);
  const trustedProxies = trustedProxiesOf(options.trustedProxies);
  const issuers = resolveIssuers(options);
  const credentials = resolveCredentialConfigs(options);
  const dpop = resolveDpopConfig(options, issuers);
  const mtls = resolveMtlsConfig(options.mtls, trustedProxies);
  const store = storeOf(options.store);
  const authenticators = validateAuthenticatorEntries(options.authenticators);
  const guards = resolveGuards(options.guards);
  const logger = new Logger('Bastion');
  const config: BastionConfig = {
    options: frozenOptions(options, store),
    strict: options.strict !== false,
    realm: options.realm ?? 'api',
    typeBaseUri: options.errors?.typeBaseUri,
    trustedProxies,
    untrustedForwarding: new UntrustedForwardingWarning((message) => logger.warn(message)),
    issuers: frozenCopy(issuers),
    signature: frozenCopy(credentials.signature),
    apiKey: frozenCopy(credentials.apiKey),
    dpop: frozenCopy(dpop),
    mtls: frozenCopy(mtls),
    store,
    revocation: Object.freeze(resolveRevocationSettings(options, issuers)),
    throttle: frozenCopy(resolveThrottleOptions(options.throttle)),
    bruteForce: frozenCopy(resolveBruteForceOptions(options.bruteForce)),
    transport: frozenCopy(withDpopCors(resolveTransport(options), dpop)),
    boundaries: frozenCopy(options.boundaries ?? {}),
    defaultBoundary: options.defaultBoundary,
    authenticators: Object.freeze(authenticators),
    guards: Object.freeze(guards),
    validation: options.validation?.enabled !== false,
    graphql: Object.freeze(resolveGraphqlOptions(options.graphql)),
    websockets: frozenCopy(resolveWebSocketOptions(options.websockets, options.cors?.origins)),
  };
  return Object.freeze(config);
}
