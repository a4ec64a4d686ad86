import { CodemodError } from '../errors.js';

const METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

const SIGNATURE_ALGS = ['hmac-sha256', 'ed25519', 'ecdsa-p256-sha256', 'rsa-pss-sha512', 'rsa-v1_5-sha256'] as const;

/**
 * How the gateway authenticates to one upstream, as `bastion.json` declares it: no credential, OAuth
 * 2.0 client credentials, or an RFC 9421 signature with the gateway's key; the `…Env` fields name the
 * environment variables holding the values.
 */
export type GatewayAuthConfig =
  | { type: 'none' }
  | { type: 'client-credentials'; tokenEndpointEnv: string; clientIdEnv: string; clientSecretEnv: string; scope?: string }
  | { type: 'signature'; keyIdEnv: string; keyEnv: string; alg: 'hmac-sha256' | 'ed25519' | 'ecdsa-p256-sha256' | 'rsa-pss-sha512' | 'rsa-v1_5-sha256' };

/** One upstream of `gateway.upstreams` in `bastion.json`. */
export interface GatewayUpstreamConfig {
  /** Environment variable holding the upstream's base URL. */
  urlEnv: string;
  /** Path the gateway serves. Default `/<name>`. */
  prefix: string;
  /** Upper-case methods forwarded. Default `['GET']`. */
  methods: string[];
  /** Scopes a caller needs (all). */
  scopes: string[];
  /** Roles a caller needs (all). */
  roles: string[];
  /** Trust boundary of the routes. */
  boundary?: string;
  /** True when neither scopes nor roles are given: any authenticated caller. */
  authenticated: boolean;
  /** Upstream timeout in milliseconds. */
  timeoutMs?: number;
  /** Largest request body forwarded, in bytes. */
  maxRequestBytes?: number;
  /** Largest response body passed back, in bytes. */
  maxResponseBytes?: number;
  /** Concurrent requests to the upstream. */
  concurrency?: number;
  /** Retries of idempotent requests without a body. */
  retryAttempts?: number;
  /** Allow `http:` for the upstream and the token endpoint (local development only). */
  allowInsecureHttp: boolean;
  /** The gateway's credential towards the upstream. */
  auth: GatewayAuthConfig;
}

/** `gateway` of `bastion.json`: upstreams by name, in file order. */
export interface GatewayConfig {
  /** Upstreams by name. */
  upstreams: Record<string, GatewayUpstreamConfig>;
  /** `gateway.app`: the schematic writes the gateway as its own application of a Nest monorepo. Default `false`. */
  app: boolean;
}

function fail(message: string, file: string): never {
  throw new CodemodError('ERR_BASTION_JSON', message, file);
}

function strings(value: unknown, path: string, file: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === '')) fail(`"${path}" must be an array of non-empty strings`, file);
  return value as string[];
}

function int(value: unknown, path: string, file: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) fail(`"${path}" must be an integer >= ${min}`, file);
  return value;
}

function envName(value: unknown, path: string, file: string): string {
  if (typeof value !== 'string' || !ENV_NAME.test(value)) fail(`"${path}" must name an environment variable (A-Z, 0-9, _)`, file);
  return value;
}

function auth(raw: unknown, path: string, file: string): GatewayAuthConfig {
  if (raw === undefined || raw === null || typeof raw !== 'object') fail(`"${path}" is required: { "type": "client-credentials", … }, { "type": "signature", … } or { "type": "none" }`, file);
  const a = raw as Record<string, unknown>;
  if (a.type === 'none') return { type: 'none' };
  if (a.type === 'signature') {
    const alg = a.alg ?? 'ed25519';
    if (!(SIGNATURE_ALGS as readonly unknown[]).includes(alg)) fail(`"${path}.alg" must be one of ${SIGNATURE_ALGS.join(', ')}`, file);
    return {
      type: 'signature',
      keyIdEnv: envName(a.keyIdEnv ?? 'GATEWAY_SIGNING_KEY_ID', `${path}.keyIdEnv`, file),
      keyEnv: envName(a.keyEnv ?? 'GATEWAY_SIGNING_KEY', `${path}.keyEnv`, file),
      alg: alg as (typeof SIGNATURE_ALGS)[number],
    };
  }
  if (a.type !== 'client-credentials') fail(`"${path}.type" must be "client-credentials", "signature" or "none"`, file);
  const scope = a.scope === undefined ? undefined : typeof a.scope === 'string' && a.scope.trim() !== '' ? a.scope : fail(`"${path}.scope" must be a non-empty string`, file);
  return {
    type: 'client-credentials',
    tokenEndpointEnv: envName(a.tokenEndpointEnv ?? 'GATEWAY_TOKEN_ENDPOINT', `${path}.tokenEndpointEnv`, file),
    clientIdEnv: envName(a.clientIdEnv ?? 'GATEWAY_CLIENT_ID', `${path}.clientIdEnv`, file),
    clientSecretEnv: envName(a.clientSecretEnv ?? 'GATEWAY_CLIENT_SECRET', `${path}.clientSecretEnv`, file),
    ...(scope === undefined ? {} : { scope }),
  };
}

/**
 * Reads `gateway.upstreams` of a parsed `bastion.json` — the one reader of the gateway's routes, for
 * the `gateway` schematic and any tool. Values that would be secrets are never in the file: the URL,
 * the client credentials and the signing key are named by environment variable.
 */
export function parseGatewayConfig(raw: unknown, file = 'bastion.json'): GatewayConfig {
  const gateway = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>).gateway : undefined;
  if (gateway === undefined) return { upstreams: {}, app: false };
  if (gateway === null || typeof gateway !== 'object') fail('"gateway" must be an object', file);
  const app = (gateway as Record<string, unknown>).app ?? false;
  if (typeof app !== 'boolean') fail('"gateway.app" must be true or false', file);
  const upstreamsRaw = (gateway as Record<string, unknown>).upstreams;
  if (upstreamsRaw === null || typeof upstreamsRaw !== 'object' || Array.isArray(upstreamsRaw)) fail('"gateway.upstreams" must be an object of upstreams by name', file);
  const upstreams: Record<string, GatewayUpstreamConfig> = {};
  for (const [name, value] of Object.entries(upstreamsRaw as Record<string, unknown>)) {
    const path = `gateway.upstreams.${name}`;
    if (!/^[a-z][a-z0-9-]*$/.test(name)) fail(`"${path}": upstream names are lower-case letters, digits and "-"`, file);
    if (value === null || typeof value !== 'object') fail(`"${path}" must be an object`, file);
    const u = value as Record<string, unknown>;
    const prefix = u.prefix ?? `/${name}`;
    if (typeof prefix !== 'string' || !/^(\/[A-Za-z0-9._~-]+)+$/.test(prefix) || prefix.split('/').some((s) => s === '.' || s === '..')) fail(`"${path}.prefix" must be a path like "/orders"`, file);
    const methods = strings(u.methods ?? ['GET'], `${path}.methods`, file).map((m) => m.toUpperCase());
    if (methods.length === 0 || methods.some((m) => !(METHODS as readonly string[]).includes(m))) fail(`"${path}.methods" must list some of ${METHODS.join(', ')}`, file);
    const scopes = strings(u.scopes, `${path}.scopes`, file);
    const roles = strings(u.roles, `${path}.roles`, file);
    if (u.boundary !== undefined && (typeof u.boundary !== 'string' || u.boundary.trim() === '')) fail(`"${path}.boundary" must be a non-empty string`, file);
    const retry = u.retry as Record<string, unknown> | undefined;
    upstreams[name] = {
      urlEnv: envName(u.urlEnv ?? `${name.toUpperCase().replace(/-/g, '_')}_UPSTREAM_URL`, `${path}.urlEnv`, file),
      prefix,
      methods: [...new Set(methods)],
      scopes,
      roles,
      ...(u.boundary === undefined ? {} : { boundary: u.boundary as string }),
      authenticated: scopes.length === 0 && roles.length === 0,
      timeoutMs: int(u.timeoutMs, `${path}.timeoutMs`, file, 1),
      maxRequestBytes: int(u.maxRequestBytes, `${path}.maxRequestBytes`, file, 0),
      maxResponseBytes: int(u.maxResponseBytes, `${path}.maxResponseBytes`, file, 0),
      concurrency: int(u.concurrency, `${path}.concurrency`, file, 1),
      retryAttempts: int(retry?.attempts, `${path}.retry.attempts`, file, 0),
      allowInsecureHttp: u.allowInsecureHttp === true,
      auth: auth(u.auth, `${path}.auth`, file),
    };
  }
  return { upstreams, app };
}
