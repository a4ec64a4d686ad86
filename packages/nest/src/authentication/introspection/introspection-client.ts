import type { DiscoveryDocument } from '../jwt/discovery-document.js';
import type { IssuerConfig } from '../jwt/jwt-config.js';
import { reject } from '../jwt/jwt-errors.js';
import { FetchHistory, type FetchStatus } from '../../oauth-client/fetch-history.js';
import { FetchFailure, fetchJson } from '../../oauth-client/http.js';
import type { IntrospectionConfig } from './introspection-config.js';

/** Runtime dependencies of the introspection calls. */
export interface IntrospectionDeps {
  fetch?: typeof fetch;
  now?: () => number;
  warn?: (message: string) => void;
}

/** Operator warnings about one issuer are written at most once per this interval (no log flood). */
const WARN_INTERVAL_MS = 60_000;

/**
 * Calls one issuer's introspection endpoint (RFC 7662 §2.1): `POST` with the token as a form field (never
 * in a URL), `token_type_hint=access_token`, Bastion's client authentication, a timeout and a size limit.
 * Every failure (network, timeout, non-200, non-JSON) becomes `ERR_INTROSPECTION_UNAVAILABLE`: the
 * request fails closed with the uniform 401.
 */
export class IntrospectionClient {
  readonly introspection: IntrospectionConfig;
  private lastWarning = Number.NEGATIVE_INFINITY;
  private readonly history = new FetchHistory();
  /** Number of introspection calls started (for tests and metrics). */
  calls = 0;

  constructor(
    readonly config: IssuerConfig,
    /** Where the endpoint is read from, when it is discovered. */
    readonly discovery: DiscoveryDocument | undefined,
    private readonly deps: IntrospectionDeps = {},
  ) {
    this.introspection = config.introspection!;
  }

  /** The raw JSON response for `token`. Throws `JwtRejection('ERR_INTROSPECTION_UNAVAILABLE')`. */
  async introspect(token: string): Promise<Record<string, unknown>> {
    this.calls++;
    const now = this.deps.now?.() ?? Date.now();
    try {
      const endpoint = this.introspection.endpoint ?? (await this.discovery!.endpoint('introspection_endpoint'));
      const request = { form: new URLSearchParams({ token, token_type_hint: 'access_token' }), headers: {} as Record<string, string> };
      await this.introspection.auth.apply(request, endpoint, this.config.issuer, now);
      const response = await fetchJson(endpoint, { method: 'POST', timeout: this.introspection.timeout, fetch: this.deps.fetch, ...request });
      this.history.succeeded(now);
      return response;
    } catch (error) {
      const failure = error instanceof FetchFailure ? error : new FetchFailure((error as Error)?.name ?? 'error');
      this.history.failed(now, failure);
      this.warnAbout(failure, now);
      reject('ERR_INTROSPECTION_UNAVAILABLE', failure.timedOut ? 'timed out' : failure.message);
    }
  }

  /** Outcomes of the calls so far (for health checks). */
  status(): FetchStatus {
    return this.history.status();
  }

  private warnAbout(failure: FetchFailure, now: number): void {
    if (now - this.lastWarning < WARN_INTERVAL_MS) return;
    this.lastWarning = now;
    const oauthError = typeof failure.body?.error === 'string' && /^[\w.-]{1,64}$/.test(failure.body.error) ? ` (${failure.body.error})` : '';
    // invalid_client means Bastion's own credentials are wrong: a configuration problem to fix, not an attack.
    this.deps.warn?.(`introspection at ${this.config.issuer} failed: ${failure.message}${oauthError}; requests with its opaque tokens get 401`);
  }
}
