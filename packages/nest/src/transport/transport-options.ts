/**
 * Transport options of {@link BastionOptions}: response headers, CORS, HTTPS, accepted media types,
 * size/shape limits and server timeouts. Every field has a secure default; see `docs/hardening.md`.
 */

/**
 * Response header overrides merged onto the API preset (`name → value`; `false` drops a preset header).
 * `false` for the whole option turns the preset off.
 *
 * @example
 * ```ts
 * headers: { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains; preload' }
 * ```
 */
export type SecurityHeadersOptions = Record<string, string | false>;

/**
 * CORS allow-list. Without this option no CORS header is ever sent (same-origin only).
 *
 * @example
 * ```ts
 * cors: { origins: ['https://app.example.com', 'https://*.example.org'], credentials: true, maxAge: 600 }
 * ```
 */
export interface CorsOptions {
  /**
   * Allowed origins: exact (`https://app.example.com`), a one-label wildcard (`https://*.example.com`),
   * a `RegExp` tested against the whole origin, or `'*'` (any origin, never with `credentials`).
   */
  origins: ReadonlyArray<string | RegExp>;
  /** Send `Access-Control-Allow-Credentials: true`. Refused at boot together with `'*'`. Default `false`. */
  credentials?: boolean;
  /** Methods allowed cross-origin. Default `GET, HEAD, POST, PUT, PATCH, DELETE`. */
  methods?: readonly string[];
  /** Request headers allowed cross-origin. Default `Authorization, Content-Type, X-Request-Id`. */
  allowedHeaders?: readonly string[];
  /** Response headers readable cross-origin. Default `X-Request-Id, Retry-After, RateLimit, RateLimit-Policy`. */
  exposedHeaders?: readonly string[];
  /** Preflight cache lifetime in seconds (`Access-Control-Max-Age`). Default `600`. */
  maxAge?: number;
}

/** HTTPS enforcement. */
export interface HttpsOptions {
  /** Reject (or redirect) plain-HTTP requests. Default `true`. */
  enforce?: boolean;
  /**
   * HTTPS origin to redirect plain-HTTP `GET`/`HEAD` requests to with `308` (e.g. `https://api.example.com`),
   * instead of the default `403 ERR_HTTPS_REQUIRED`. A fixed origin, never the request's `Host`.
   */
  redirectTo?: string;
  /**
   * Allow a plain-HTTP connection from a trusted loopback peer that carries no forwarding header
   * (local traffic that crossed no network: health checks, tests). Default `true`.
   */
  allowLocal?: boolean;
}

/** Size and shape limits of requests. */
export interface LimitsOptions {
  /** Request body size in bytes (413 beyond). Default `102400` (100 KiB). */
  bodyBytes?: number;
  /** JSON nesting depth (400 beyond). Default `32`. */
  jsonDepth?: number;
  /** Object members in one JSON body (400 beyond). Default `1000`. */
  jsonKeys?: number;
  /** Elements of one JSON array (400 beyond). Default `10000`. */
  jsonArrayLength?: number;
  /** Parameters in a query string or form body (400 beyond). Default `100`. */
  queryParameters?: number;
  /** Bracket/dot nesting in a query parameter name (400 beyond). Default `5`. */
  queryDepth?: number;
  /** Values of one repeated query parameter (400 beyond). Default `20`. */
  queryArrayLength?: number;
  /** Request-target length in bytes (414 beyond). Default `8192`. */
  urlBytes?: number;
  /**
   * Total size of the request header lines in bytes (431 beyond). Default `16384`, Node's own limit;
   * raising it also needs Node's `--max-http-header-size`.
   */
  headerBytes?: number;
}

/** Server timeouts in milliseconds. */
export interface TimeoutsOptions {
  /** Whole request (headers and body) must arrive within this time, else 408 and the connection is cut. Default `30000`. */
  request?: number;
  /** Headers must arrive within this time (Node `headersTimeout`). Default `10000`. */
  headers?: number;
  /** Idle keep-alive connections are closed after this time. Default `5000`. */
  keepAlive?: number;
}

/** The global validation pipe. */
export interface ValidationOptions {
  /** Register Bastion's strict global `ValidationPipe`. Default `true`. */
  enabled?: boolean;
}
