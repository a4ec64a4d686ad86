import { randomInt } from 'node:crypto';
import { assertFetchableUrl, discoveryUrlOf } from '../authentication/jwt/jwt-config.js';
import { BastionConfigError, assertNonEmptyString, assertNonNegativeNumber, assertOptionalBoolean, assertPositiveNumber, isPlainObject } from '../options/assert.js';
import { resolveClientAuth, type ClientAuth, type ClientAuthOptions } from './client-auth.js';
import { ClientCredentialsError } from './client-credentials.error.js';
import { FetchFailure, fetchJson } from './http.js';

/**
 * A client-credentials token provider (RFC 6749 §4.4) for calls this app makes to other APIs.
 *
 * @example
 * ```ts
 * const tokens = new ClientCredentialsTokenProvider({
 *   issuer: 'https://id.example.com',            // token endpoint from discovery, or `tokenEndpoint`
 *   clientId: 'orders-worker', clientSecret: process.env.CLIENT_SECRET,
 *   scope: ['billing:write'], resource: 'https://billing.example.com',
 * });
 * await fetch(url, { headers: { authorization: await tokens.authorizationHeader() } });
 * ```
 */
export interface ClientCredentialsOptions extends ClientAuthOptions {
  /** Token endpoint URL. Required unless `issuer` is set (then read from its discovery document). */
  tokenEndpoint?: string;
  /** Issuer identifier: finds the token endpoint by discovery, and is the default `aud` of a `private_key_jwt` assertion. */
  issuer?: string;
  /** Scopes requested (`scope`). Default none (the server's default). */
  scope?: string | string[];
  /** RFC 8707 resource indicator(s) (`resource`). Default none. */
  resource?: string | string[];
  /** `audience` parameter, for servers that use it instead of `resource` (Auth0 and others). Default none. */
  audience?: string;
  /** Renew this many seconds before expiry (capped at half the token's lifetime). Default 60. */
  renewBefore?: number;
  /** Up to this many more seconds, drawn at random per token, so instances do not renew in lock-step. Default 15. */
  jitter?: number;
  /** Timeout of one token request, in seconds. Default 10. */
  timeout?: number;
  /** Allow an `http:` token endpoint off loopback. Default `false`; never in production. */
  allowInsecureHttp?: boolean;
}

/** An access token obtained with client credentials. */
export interface ClientCredentialsToken {
  readonly accessToken: string;
  /** `Bearer` (other token types are refused). */
  readonly tokenType: 'Bearer';
  /** When the token expires (from `expires_in`; 60 s when the server sends none). */
  readonly expiresAt: Date;
  /** Granted scopes, when the server says (`scope`). */
  readonly scope: string | undefined;
}

/** Test and runtime seams; all optional. */
export interface ClientCredentialsDeps {
  fetch?: typeof fetch;
  /** Clock in milliseconds. Default `Date.now` (so fake timers move it). */
  now?: () => number;
}

/** Lifetime assumed when a token response has no `expires_in` (RFC 6749 §5.1 makes it optional). */
const DEFAULT_LIFETIME_SECONDS = 60;
/** After a failed renewal while the current token is still valid, wait this long before trying again. */
const RETRY_AFTER_FAILURE_MS = 5_000;

function list(value: string | string[] | undefined, path: string): string[] {
  if (value === undefined) return [];
  const items = typeof value === 'string' ? value.split(' ').filter(Boolean) : value;
  if (!Array.isArray(items) || items.some((i) => typeof i !== 'string' || i === '')) throw new BastionConfigError(path, 'must be a string or an array of non-empty strings');
  return items;
}

/**
 * Fetches, caches and renews a client-credentials access token: one request in flight at a time (shared
 * by every concurrent caller), renewed `renewBefore` + random jitter seconds before it expires (callers
 * keep getting the current token meanwhile), and kept while still valid if a renewal fails. Failures
 * are typed ({@link ClientCredentialsError}) and never carry the secret, the assertion or the token.
 * Usable as a plain object or as a Nest provider ({@link clientCredentialsProvider}).
 */
export class ClientCredentialsTokenProvider {
  private readonly auth: ClientAuth;
  private readonly form: URLSearchParams;
  private readonly options: ClientCredentialsOptions;
  private readonly now: () => number;
  private current: { token: ClientCredentialsToken; renewAt: number } | undefined;
  private inFlight: Promise<ClientCredentialsToken> | undefined;
  private retryAt = Number.NEGATIVE_INFINITY;
  private endpoint: string | undefined;
  private readonly fetchImpl: typeof fetch | undefined;
  /** Token requests started (for tests and metrics). */
  requests = 0;

  constructor(options: ClientCredentialsOptions, deps: ClientCredentialsDeps = {}, path = 'clientCredentials') {
    if (!isPlainObject(options)) throw new BastionConfigError(path, 'must be an object');
    assertOptionalBoolean(options.allowInsecureHttp, `${path}.allowInsecureHttp`);
    const insecure = options.allowInsecureHttp === true;
    if (options.tokenEndpoint !== undefined) assertFetchableUrl(options.tokenEndpoint, `${path}.tokenEndpoint`, insecure);
    if (options.issuer !== undefined) assertFetchableUrl(options.issuer, `${path}.issuer`, insecure);
    if (options.tokenEndpoint === undefined && options.issuer === undefined) throw new BastionConfigError(`${path}.tokenEndpoint`, 'is required (or "issuer", to find it by discovery)');
    if (options.audience !== undefined) assertNonEmptyString(options.audience, `${path}.audience`);
    assertNonNegativeNumber(options.renewBefore, `${path}.renewBefore`);
    assertNonNegativeNumber(options.jitter, `${path}.jitter`);
    assertPositiveNumber(options.timeout, `${path}.timeout`);
    this.auth = resolveClientAuth(options, path);
    this.form = new URLSearchParams({ grant_type: 'client_credentials' });
    const scope = list(options.scope, `${path}.scope`);
    if (scope.length > 0) this.form.set('scope', scope.join(' '));
    for (const resource of list(options.resource, `${path}.resource`)) {
      // RFC 8707 §2: an absolute URI without a fragment.
      if (!URL.canParse(resource) || resource.includes('#')) throw new BastionConfigError(`${path}.resource`, 'must be absolute URIs without a fragment');
      this.form.append('resource', resource);
    }
    if (options.audience !== undefined) this.form.set('audience', options.audience);
    this.options = options;
    this.endpoint = options.tokenEndpoint;
    this.fetchImpl = deps.fetch;
    this.now = deps.now ?? (() => Date.now());
  }

  /** The current access token, fetched or renewed as needed. Throws {@link ClientCredentialsError}. */
  async getToken(): Promise<string> {
    return (await this.getAccessToken()).accessToken;
  }

  /** `Bearer <token>`, for an `Authorization` header. */
  async authorizationHeader(): Promise<string> {
    return `Bearer ${await this.getToken()}`;
  }

  /** The current token with its expiry and scope. Throws {@link ClientCredentialsError}. */
  async getAccessToken(): Promise<ClientCredentialsToken> {
    const now = this.now();
    const current = this.current;
    if (current && now < current.token.expiresAt.getTime()) {
      // Renew ahead of expiry in the background; callers keep the current token meanwhile.
      if (now >= current.renewAt && now >= this.retryAt) void this.renew().catch(() => undefined);
      return current.token;
    }
    return this.renew();
  }

  /** Drops the cached token (e.g. after the API it was sent to answered 401); the next call fetches a new one. */
  invalidate(): void {
    this.current = undefined;
  }

  private renew(): Promise<ClientCredentialsToken> {
    this.inFlight ??= this.request()
      .then((token) => {
        const lifetime = token.expiresAt.getTime() - this.now();
        const ahead = Math.min(((this.options.renewBefore ?? 60) + randomInt(0, Math.floor((this.options.jitter ?? 15) * 1000) + 1) / 1000) * 1000, lifetime / 2);
        this.current = { token, renewAt: token.expiresAt.getTime() - ahead };
        return token;
      })
      .catch((error: unknown) => {
        this.retryAt = this.now() + RETRY_AFTER_FAILURE_MS;
        throw error;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  private async request(): Promise<ClientCredentialsToken> {
    this.requests++;
    const timeout = (this.options.timeout ?? 10) * 1000;
    let response: Record<string, unknown>;
    try {
      const endpoint = (this.endpoint ??= await this.discoverEndpoint(timeout));
      const request = { form: new URLSearchParams(this.form), headers: {} as Record<string, string> };
      await this.auth.apply(request, endpoint, this.options.issuer, this.now());
      response = await fetchJson(endpoint, { method: 'POST', timeout, fetch: this.fetchImpl, ...request });
    } catch (error) {
      throw ClientCredentialsError.from(error);
    }
    return this.tokenFrom(response);
  }

  private async discoverEndpoint(timeout: number): Promise<string> {
    const issuer = this.options.issuer!;
    const doc = await fetchJson(discoveryUrlOf(issuer), { timeout, fetch: this.fetchImpl });
    // RFC 8414 §3.3: the metadata's issuer must be the one asked for.
    if (doc.issuer !== issuer) throw new FetchFailure('discovered issuer differs from the configured issuer');
    try {
      assertFetchableUrl(doc.token_endpoint, 'token_endpoint', this.options.allowInsecureHttp === true);
    } catch {
      throw new FetchFailure('discovered token_endpoint is missing or not https');
    }
    return doc.token_endpoint;
  }

  /** RFC 6749 §5.1: `access_token` and `token_type` required; only Bearer tokens are usable here. */
  private tokenFrom(response: Record<string, unknown>): ClientCredentialsToken {
    const { access_token: accessToken, token_type: tokenType, expires_in: expiresIn, scope } = response;
    if (typeof accessToken !== 'string' || accessToken === '') throw new ClientCredentialsError('ERR_TOKEN_RESPONSE_INVALID', 'no access_token');
    if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') throw new ClientCredentialsError('ERR_TOKEN_RESPONSE_INVALID', 'token_type is not Bearer');
    if (expiresIn !== undefined && (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0)) {
      throw new ClientCredentialsError('ERR_TOKEN_RESPONSE_INVALID', 'expires_in is not a positive number');
    }
    const lifetime = (expiresIn as number | undefined) ?? DEFAULT_LIFETIME_SECONDS;
    return { accessToken, tokenType: 'Bearer', expiresAt: new Date(this.now() + lifetime * 1000), scope: typeof scope === 'string' ? scope : undefined };
  }
}
