import { BastionConfigError, assertNonNegativeNumber, assertOptionalBoolean, assertPositiveNumber, isPlainObject } from '../../options/assert.js';
import type { IntrospectionConfig } from '../introspection/introspection-config.js';
import { DEFAULT_ALGORITHMS, SUPPORTED_ALGORITHMS, type JwtAlgorithm, type JwtIssuerOptions, type JwtOptions } from './jwt-options.js';
import { resolveLegacyWindow, type LegacyWindow } from './legacy-window.js';
import { importStaticKeys, secretKey, type VerificationKey } from './verification-key.js';

/** One issuer's options, validated and with every default applied. */
export interface IssuerConfig {
  readonly path: string;
  readonly issuer: string;
  readonly audiences: ReadonlySet<string>;
  readonly algorithms: ReadonlySet<JwtAlgorithm>;
  /** Where JWT verification keys come from; `undefined` for an issuer whose tokens are only introspected. */
  readonly source:
    | { kind: 'jwks'; uri: string }
    | { kind: 'discovery'; url: string }
    | { kind: 'keys'; keys: VerificationKey[] }
    | undefined;
  /** OIDC discovery URL when `discovery: true` (keys and/or the introspection endpoint come from it). */
  readonly discoveryUrl: string | undefined;
  /** Seconds. */
  readonly clockTolerance: number;
  readonly maxTokenAge: number | undefined;
  readonly rfc9068: boolean;
  /** Under the RFC 9068 profile, `typ: JWT` is accepted in place of `at+jwt`. */
  readonly acceptJwtTyp: boolean;
  readonly legacy: LegacyWindow | undefined;
  readonly introspection: IntrospectionConfig | undefined;
  readonly allowInsecureHttp: boolean;
  /** Milliseconds. */
  readonly jwks: { maxAge: number; cooldown: number; timeout: number; maxStale: number };
  readonly claims: { scopeClaims: string[]; permissionsAsScopes: boolean; roleClaims: string[]; clientIdClaims: string[]; acceptNumericSubject: boolean };
  readonly tokenCacheSize: number;
}

const MAX_COOLDOWN_SECONDS = 60;

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** Refuses non-URLs and plain `http:` off loopback unless explicitly allowed. */
export function assertFetchableUrl(value: unknown, path: string, allowInsecureHttp: boolean): asserts value is string {
  if (typeof value !== 'string' || value === '') throw new BastionConfigError(path, 'must be a non-empty URL');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BastionConfigError(path, 'must be an absolute URL');
  }
  if (url.protocol === 'https:') return;
  if (url.protocol !== 'http:') throw new BastionConfigError(path, 'must be an https: URL');
  if (!isLoopbackHost(url.hostname) && !allowInsecureHttp) {
    throw new BastionConfigError(path, 'must use https: (plain http: is allowed only on loopback or with "allowInsecureHttp": true)');
  }
}

/** OIDC Discovery 1.0 §4: the configuration lives under the issuer's path. */
export function discoveryUrlOf(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

function stringList(value: unknown, path: string, fallback: string[]): string[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) throw new BastionConfigError(path, 'must be an array of non-empty strings');
  return [...value];
}

function validateAlgorithms(value: unknown, path: string): JwtAlgorithm[] {
  if (value === undefined) return [...DEFAULT_ALGORITHMS];
  if (!Array.isArray(value) || value.length === 0) throw new BastionConfigError(path, 'must be a non-empty array of algorithm names');
  value.forEach((alg, i) => {
    if (typeof alg === 'string' && alg.toLowerCase() === 'none') throw new BastionConfigError(`${path}[${i}]`, 'must not be "none": unsigned tokens are never accepted');
    if (!SUPPORTED_ALGORITHMS.includes(alg)) throw new BastionConfigError(`${path}[${i}]`, `must be one of ${SUPPORTED_ALGORITHMS.join(', ')}`);
  });
  return [...new Set(value as JwtAlgorithm[])];
}

function secretBytes(value: unknown, path: string, minBytes: number): Uint8Array {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value instanceof Uint8Array ? value : undefined;
  if (!bytes) throw new BastionConfigError(path, 'must be a string or Uint8Array');
  // RFC 7518 §3.2: the HMAC key must be at least as long as the hash output (32, 48, 64 bytes).
  if (bytes.length < minBytes) throw new BastionConfigError(path, `must be at least ${minBytes} bytes (got ${bytes.length}); use a random secret`);
  return new Uint8Array(bytes);
}

/** What the caller of {@link validateIssuer} resolves itself (introspection lives in its own folder). */
export interface IssuerExtras {
  /** The issuer also introspects opaque tokens, so a JWT key source is optional. */
  readonly introspection?: (issuer: { allowInsecureHttp: boolean; discovery: boolean }) => IntrospectionConfig;
  /** Clock for the legacy window's bounds, in milliseconds. */
  readonly now?: number;
}

/** Validates one issuer entry (`path` names it in errors) and applies defaults. */
export function validateIssuer(options: JwtIssuerOptions, path: string, extras: IssuerExtras = {}): IssuerConfig {
  if (!isPlainObject(options)) throw new BastionConfigError(path, 'must be an object');
  if (typeof options.issuer !== 'string' || options.issuer.trim() === '') throw new BastionConfigError(`${path}.issuer`, 'must be a non-empty string');
  const audience = options.audience;
  const audiences = typeof audience === 'string' ? [audience] : audience;
  if (!Array.isArray(audiences) || audiences.length === 0 || audiences.some((a) => typeof a !== 'string' || a.trim() === '')) {
    throw new BastionConfigError(`${path}.audience`, 'must be a non-empty string or array of strings (tokens for other APIs must not be accepted)');
  }
  assertOptionalBoolean(options.allowInsecureHttp, `${path}.allowInsecureHttp`);
  assertOptionalBoolean(options.discovery, `${path}.discovery`);
  const allowInsecureHttp = options.allowInsecureHttp === true;
  const algorithms = validateAlgorithms(options.algorithms, `${path}.algorithms`);
  const hmac = algorithms.filter((a) => a.startsWith('HS'));

  const sources = (['jwksUri', 'discovery', 'keys', 'secret'] as const).filter((k) => options[k] !== undefined && options[k] !== false);
  if (sources.length === 0 && !extras.introspection) throw new BastionConfigError(`${path}.jwksUri`, 'is required (or exactly one of "discovery", "keys", "secret")');
  if (sources.length > 1) throw new BastionConfigError(`${path}.${sources[1]}`, `cannot be combined with "${sources[0]}": configure exactly one key source`);
  let source: IssuerConfig['source'];
  if (sources.length === 0) {
    if (hmac.length > 0) throw new BastionConfigError(`${path}.algorithms[${algorithms.indexOf(hmac[0]!)}]`, `"${hmac[0]}" needs a "secret" key source`);
  } else if (options.secret !== undefined) {
    if (options.algorithms === undefined || hmac.length !== algorithms.length) {
      throw new BastionConfigError(`${path}.algorithms`, 'must list only HS256/HS384/HS512 when "secret" is set');
    }
    source = { kind: 'keys', keys: [secretKey(secretBytes(options.secret, `${path}.secret`, Math.max(...hmac.map((a) => Number(a.slice(2)) / 8))))] };
  } else {
    if (hmac.length > 0) throw new BastionConfigError(`${path}.algorithms[${algorithms.indexOf(hmac[0]!)}]`, `"${hmac[0]}" needs a "secret" key source`);
    if (options.jwksUri !== undefined) {
      assertFetchableUrl(options.jwksUri, `${path}.jwksUri`, allowInsecureHttp);
      source = { kind: 'jwks', uri: options.jwksUri };
    } else if (options.discovery === true) {
      assertFetchableUrl(options.issuer, `${path}.issuer`, allowInsecureHttp);
      source = { kind: 'discovery', url: discoveryUrlOf(options.issuer) };
    } else {
      const list = Array.isArray(options.keys) ? options.keys : [options.keys!];
      if (list.length === 0) throw new BastionConfigError(`${path}.keys`, 'must not be empty');
      const imported = importStaticKeys(list);
      if ('why' in imported) throw new BastionConfigError(Array.isArray(options.keys) ? `${path}.keys[${imported.index}]` : `${path}.keys`, imported.why);
      if (imported.keys.length === 0) throw new BastionConfigError(`${path}.keys`, 'contains no key');
      source = { kind: 'keys', keys: imported.keys };
    }
  }

  assertNonNegativeNumber(options.clockTolerance, `${path}.clockTolerance`);
  if (options.clockTolerance !== undefined && options.clockTolerance > 300) throw new BastionConfigError(`${path}.clockTolerance`, 'must be at most 300 seconds');
  assertPositiveNumber(options.maxTokenAge, `${path}.maxTokenAge`);
  if (options.profile !== undefined && options.profile !== 'rfc9068') throw new BastionConfigError(`${path}.profile`, 'must be "rfc9068"');
  assertOptionalBoolean(options.acceptJwtTyp, `${path}.acceptJwtTyp`);
  if (options.acceptJwtTyp === true && options.profile !== 'rfc9068') throw new BastionConfigError(`${path}.acceptJwtTyp`, 'only applies with "profile": "rfc9068" (other tokens may already be typed JWT)');
  const legacy = options.legacy === undefined ? undefined : resolveLegacyWindow(options.legacy, `${path}.legacy`, source?.kind === 'keys', extras.now ?? Date.now());
  const discovery = options.discovery === true;
  const introspection = extras.introspection?.({ allowInsecureHttp, discovery });
  if (options.jwks !== undefined && !isPlainObject(options.jwks)) throw new BastionConfigError(`${path}.jwks`, 'must be an object');
  const jwks = options.jwks ?? {};
  assertPositiveNumber(jwks.maxAge, `${path}.jwks.maxAge`);
  assertPositiveNumber(jwks.cooldown, `${path}.jwks.cooldown`);
  if (jwks.cooldown !== undefined && jwks.cooldown > MAX_COOLDOWN_SECONDS) {
    throw new BastionConfigError(`${path}.jwks.cooldown`, `must be at most ${MAX_COOLDOWN_SECONDS} seconds (a newly published key must be accepted within one cooldown)`);
  }
  assertPositiveNumber(jwks.timeout, `${path}.jwks.timeout`);
  assertNonNegativeNumber(jwks.maxStale, `${path}.jwks.maxStale`);
  if (options.claims !== undefined && !isPlainObject(options.claims)) throw new BastionConfigError(`${path}.claims`, 'must be an object');
  const claims = options.claims ?? {};
  assertOptionalBoolean(claims.permissionsAsScopes, `${path}.claims.permissionsAsScopes`);
  assertOptionalBoolean(claims.acceptNumericSubject, `${path}.claims.acceptNumericSubject`);
  const size = options.tokenCacheSize;
  if (size !== undefined && (!Number.isInteger(size) || size < 0)) throw new BastionConfigError(`${path}.tokenCacheSize`, 'must be an integer ≥ 0');

  return {
    path,
    issuer: options.issuer,
    audiences: new Set(audiences),
    algorithms: new Set(algorithms),
    source,
    discoveryUrl: discovery ? discoveryUrlOf(options.issuer) : undefined,
    clockTolerance: options.clockTolerance ?? 5,
    maxTokenAge: options.maxTokenAge,
    rfc9068: options.profile === 'rfc9068',
    acceptJwtTyp: options.acceptJwtTyp === true,
    legacy,
    introspection,
    allowInsecureHttp,
    jwks: {
      maxAge: (jwks.maxAge ?? 600) * 1000,
      cooldown: (jwks.cooldown ?? 30) * 1000,
      timeout: (jwks.timeout ?? 5) * 1000,
      maxStale: (jwks.maxStale ?? 86_400) * 1000,
    },
    claims: {
      scopeClaims: stringList(claims.scopeClaims, `${path}.claims.scopeClaims`, ['scope', 'scp']),
      permissionsAsScopes: claims.permissionsAsScopes === true,
      roleClaims: stringList(claims.roleClaims, `${path}.claims.roleClaims`, ['roles']),
      clientIdClaims: stringList(claims.clientIdClaims, `${path}.claims.clientIdClaims`, ['client_id', 'azp']),
      acceptNumericSubject: claims.acceptNumericSubject === true,
    },
    tokenCacheSize: size ?? 10_000,
  };
}

/**
 * Validates the `jwt` option at boot and applies defaults. Throws `BastionConfigError` naming the
 * first bad option (`jwt[1].audience`, `jwt.algorithms[0]`…).
 */
export function resolveJwtOptions(jwt: JwtOptions | undefined, path = 'jwt'): IssuerConfig[] {
  if (jwt === undefined) return [];
  const list = Array.isArray(jwt) ? jwt : [jwt];
  if (Array.isArray(jwt) && jwt.length === 0) throw new BastionConfigError(path, 'must list at least one issuer');
  const configs = list.map((o, i) => {
    const entryPath = Array.isArray(jwt) ? `${path}[${i}]` : path;
    if (isPlainObject(o) && (o as { introspection?: unknown }).introspection !== undefined) {
      throw new BastionConfigError(`${entryPath}.introspection`, 'is configured under "issuers", not "jwt"');
    }
    return validateIssuer(o, entryPath);
  });
  assertTrustList(configs);
  return configs;
}

/**
 * Checks that apply across the trust list: a token's `iss` selects exactly one issuer, and at most one
 * issuer has a legacy window (a token without `iss` must select exactly one key set).
 */
export function assertTrustList(configs: readonly IssuerConfig[]): void {
  const seen = new Set<string>();
  for (const c of configs) {
    if (seen.has(c.issuer)) throw new BastionConfigError(`${c.path}.issuer`, 'is configured twice; a token\'s "iss" must select exactly one issuer');
    seen.add(c.issuer);
  }
  const legacy = configs.filter((c) => c.legacy !== undefined);
  if (legacy.length > 1) throw new BastionConfigError(`${legacy[1]!.path}.legacy`, `is also set on "${legacy[0]!.path}"; only one issuer may have a legacy window`);
}
