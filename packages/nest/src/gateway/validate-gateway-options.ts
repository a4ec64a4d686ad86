import {
  assertNonEmptyString,
  assertOptionalBoolean,
  assertPositiveNumber,
  BastionConfigError,
  isPlainObject,
} from '../options/assert.js';
import type { GatewayAsyncSettings, GatewayMethod, GatewayOptions, GatewayRoute, GatewayRouteKey, GatewayUpstream } from './gateway-options.js';
import type { UpstreamCredential } from './upstream-credential.js';

const METHODS: readonly GatewayMethod[] = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'];
// RFC 9110 §9.2.2: idempotent methods; only those without a body can be replayed from nothing.
const RETRYABLE: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);
const MiB = 1024 * 1024;
const ROUTE_KEYS: ReadonlySet<string> = new Set<GatewayRouteKey>(['prefix', 'methods', 'scopes', 'roles', 'boundary', 'authenticated', 'public']);

/** One upstream with every default applied. */
export interface ResolvedUpstream {
  readonly name: string;
  readonly origin: string;
  /** Path of the base URL without a trailing slash (`''` for the root). */
  readonly basePath: string;
  /** Lower-case, no trailing slash. */
  readonly prefix: string;
  readonly methods: readonly GatewayMethod[];
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
  readonly boundary: string | undefined;
  readonly authenticated: boolean;
  readonly public: boolean;
  readonly credential: UpstreamCredential | undefined;
  readonly timeoutMs: number;
  readonly maxRequestBytes: number;
  readonly maxResponseBytes: number;
  readonly concurrency: number;
  readonly retryAttempts: number;
  readonly retryMethods: ReadonlySet<string>;
  readonly breakerFailures: number;
  readonly breakerOpenMs: number;
  readonly allowSetCookie: boolean;
}

/** The gateway's options, validated once at boot. */
export interface ResolvedGateway {
  readonly upstreams: readonly ResolvedUpstream[];
  readonly stripRequestHeaders: ReadonlySet<string>;
}

function stringList(value: unknown, path: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new BastionConfigError(path, 'must be an array of strings');
  value.forEach((item, i) => assertNonEmptyString(item, `${path}[${i}]`));
  return value as string[];
}

function integer(value: unknown, path: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new BastionConfigError(path, `must be an integer >= ${min}`);
  return value;
}

function resolveUpstream(name: string, u: GatewayUpstream, path: string): ResolvedUpstream {
  if (!isPlainObject(u)) throw new BastionConfigError(path, 'must be an object');
  assertOptionalBoolean(u.allowInsecureHttp, `${path}.allowInsecureHttp`);
  assertNonEmptyString(u.url, `${path}.url`);
  if (!URL.canParse(u.url)) throw new BastionConfigError(`${path}.url`, 'must be an absolute URL');
  const url = new URL(u.url);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && u.allowInsecureHttp === true)) throw new BastionConfigError(`${path}.url`, 'must be https: (or set allowInsecureHttp for http:)');
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') throw new BastionConfigError(`${path}.url`, 'must have no query, fragment or credentials');
  assertNonEmptyString(u.prefix, `${path}.prefix`);
  const prefix = u.prefix.replace(/\/+$/, '').toLowerCase();
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(prefix) || prefix.split('/').some((s) => s === '.' || s === '..')) throw new BastionConfigError(`${path}.prefix`, 'must be a path like "/orders" (unreserved characters only)');
  const methods = u.methods === undefined ? (['GET'] as GatewayMethod[]) : stringList(u.methods, `${path}.methods`).map((m) => m.toUpperCase() as GatewayMethod);
  if (methods.length === 0 || methods.some((m) => !METHODS.includes(m))) throw new BastionConfigError(`${path}.methods`, `must list some of ${METHODS.join(', ')}`);
  const scopes = stringList(u.scopes, `${path}.scopes`);
  const roles = stringList(u.roles, `${path}.roles`);
  if (u.boundary !== undefined) assertNonEmptyString(u.boundary, `${path}.boundary`);
  assertOptionalBoolean(u.public, `${path}.public`);
  assertOptionalBoolean(u.authenticated, `${path}.authenticated`);
  const isPublic = u.public === true;
  if (isPublic && (scopes.length > 0 || roles.length > 0 || u.authenticated === true)) throw new BastionConfigError(`${path}.public`, 'cannot be combined with scopes, roles or authenticated');
  if (!isPublic && scopes.length === 0 && roles.length === 0 && u.authenticated !== true) throw new BastionConfigError(path, 'must state who may call it: scopes, roles, authenticated: true or public: true');
  if (u.credential !== 'none' && !(isPlainObject(u.credential) && typeof (u.credential as { headersFor?: unknown }).headersFor === 'function')) {
    throw new BastionConfigError(`${path}.credential`, 'must be an UpstreamCredential (e.g. clientCredentialsUpstream(provider), signatureUpstream(key)) or "none"');
  }
  if (u.credential !== 'none') u.credential.validate?.(`${path}.credential`);
  assertPositiveNumber(u.timeoutMs, `${path}.timeoutMs`);
  const retry = u.retry ?? {};
  if (!isPlainObject(retry)) throw new BastionConfigError(`${path}.retry`, 'must be an object');
  const retryMethods = retry.methods === undefined ? [...RETRYABLE] : stringList(retry.methods, `${path}.retry.methods`).map((m) => m.toUpperCase());
  for (const m of retryMethods) if (!RETRYABLE.has(m)) throw new BastionConfigError(`${path}.retry.methods`, `${m} is not retryable (only GET, HEAD, OPTIONS: idempotent and without a body)`);
  const breaker = u.breaker ?? {};
  if (!isPlainObject(breaker)) throw new BastionConfigError(`${path}.breaker`, 'must be an object');
  assertOptionalBoolean(u.allowSetCookie, `${path}.allowSetCookie`);
  return {
    name,
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    prefix,
    methods: [...new Set(methods)],
    scopes,
    roles,
    boundary: u.boundary,
    authenticated: u.authenticated === true,
    public: isPublic,
    credential: u.credential === 'none' ? undefined : u.credential,
    timeoutMs: u.timeoutMs ?? 10_000,
    maxRequestBytes: integer(u.maxRequestBytes, `${path}.maxRequestBytes`, 10 * MiB, 0),
    maxResponseBytes: integer(u.maxResponseBytes, `${path}.maxResponseBytes`, 10 * MiB, 0),
    concurrency: integer(u.concurrency, `${path}.concurrency`, 64, 1),
    retryAttempts: integer(retry.attempts, `${path}.retry.attempts`, 0, 0),
    retryMethods: new Set(retryMethods),
    breakerFailures: integer(breaker.failures, `${path}.breaker.failures`, 5, 1),
    breakerOpenMs: integer(breaker.openMs, `${path}.breaker.openMs`, 30_000, 1),
    allowSetCookie: u.allowSetCookie === true,
  };
}

/** Validates `BastionGatewayModule.forRoot()` options; a mistake throws `BastionConfigError` naming the option. */
export function resolveGatewayOptions(options: GatewayOptions): ResolvedGateway {
  if (!isPlainObject(options)) throw new BastionConfigError('gateway', 'must be an object');
  if (!isPlainObject(options.upstreams) || Object.keys(options.upstreams).length === 0) throw new BastionConfigError('gateway.upstreams', 'must name at least one upstream');
  const upstreams: ResolvedUpstream[] = [];
  for (const [name, upstream] of Object.entries(options.upstreams)) {
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) throw new BastionConfigError(`gateway.upstreams.${name}`, 'name must be letters, digits, "-" or "_"');
    upstreams.push(resolveUpstream(name, upstream, `gateway.upstreams.${name}`));
  }
  for (const a of upstreams) {
    for (const b of upstreams) {
      if (a !== b && (a.prefix === b.prefix || a.prefix.startsWith(`${b.prefix}/`))) throw new BastionConfigError(`gateway.upstreams.${a.name}.prefix`, `overlaps the prefix of "${b.name}"`);
    }
  }
  const strip = stringList(options.stripRequestHeaders, 'gateway.stripRequestHeaders').map((h) => h.toLowerCase());
  return { upstreams, stripRequestHeaders: new Set(strip) };
}

/**
 * Checks the routes of `forRootAsync()` when it is called, as `forRoot()` checks them (the controllers are
 * built from them before any factory runs); returns them resolved, for the controllers only.
 */
export function resolveGatewayRoutes(routes: Record<string, GatewayRoute>): ResolvedUpstream[] {
  if (!isPlainObject(routes)) throw new BastionConfigError('gateway.routes', 'must name the upstreams and their routes');
  const placeholders: Record<string, GatewayUpstream> = {};
  for (const [name, route] of Object.entries(routes)) {
    if (!isPlainObject(route)) throw new BastionConfigError(`gateway.upstreams.${name}`, 'must be an object');
    const other = Object.keys(route).find((key) => !ROUTE_KEYS.has(key));
    if (other !== undefined) throw new BastionConfigError(`gateway.upstreams.${name}.${other}`, 'is not a route setting: return it from useFactory');
    // Only the route settings are checked here; the factory's URL and credential replace these at boot.
    placeholders[name] = { ...route, url: 'https://routes.invalid', credential: 'none' };
  }
  return [...resolveGatewayOptions({ upstreams: placeholders }).upstreams];
}

/** The options `forRootAsync()`'s routes and its factory's settings make together, for `resolveGatewayOptions`. */
export function mergeGatewaySettings(routes: Record<string, GatewayRoute>, settings: GatewayAsyncSettings): GatewayOptions {
  if (!isPlainObject(settings) || !isPlainObject(settings.upstreams)) throw new BastionConfigError('gateway.upstreams', 'useFactory must return { upstreams: { <name>: { url, credential, … } } }');
  const unknown = Object.keys(settings.upstreams).find((name) => !Object.hasOwn(routes, name));
  if (unknown !== undefined) throw new BastionConfigError(`gateway.upstreams.${unknown}`, 'is not declared in the routes of forRootAsync()');
  const upstreams: Record<string, GatewayUpstream> = {};
  for (const [name, route] of Object.entries(routes)) {
    const own = settings.upstreams[name];
    if (!isPlainObject(own)) throw new BastionConfigError(`gateway.upstreams.${name}`, 'needs its url and credential from useFactory');
    const routeKey = Object.keys(own).find((key) => ROUTE_KEYS.has(key));
    if (routeKey !== undefined) throw new BastionConfigError(`gateway.upstreams.${name}.${routeKey}`, 'is a route setting: declare it in the routes of forRootAsync()');
    upstreams[name] = { ...own, ...route } as GatewayUpstream;
  }
  return { upstreams, ...(settings.stripRequestHeaders === undefined ? {} : { stripRequestHeaders: settings.stripRequestHeaders }) };
}
