import type { InjectionToken, ModuleMetadata, OptionalFactoryDependency } from '@nestjs/common';
import type { UpstreamCredential } from './upstream-credential.js';

/** HTTP methods a gateway route can forward. */
export type GatewayMethod = 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Retries of idempotent requests that never reached the upstream (connection refused or reset). */
export interface GatewayRetryPolicy {
  /** Extra attempts after the first. Default `0` (no retry). */
  attempts?: number;
  /**
   * Methods that may be retried; only idempotent ones without a request body (RFC 9110 §9.2.2) are
   * accepted. Default `['GET', 'HEAD', 'OPTIONS']`.
   */
  methods?: GatewayMethod[];
}

/** Circuit breaker of one upstream. */
export interface GatewayBreakerOptions {
  /** Consecutive failures (unreachable, timeout, 5xx) that open the circuit. Default `5`. */
  failures?: number;
  /** Milliseconds the circuit stays open (503 at once) before one probe request is let through. Default `30_000`. */
  openMs?: number;
}

/**
 * One upstream service and the routes the gateway forwards to it: every request whose path is
 * `prefix` or starts with `prefix/` goes to `url` with the rest of the path appended.
 */
export interface GatewayUpstream {
  /** Base URL of the upstream (`http:` or `https:`, no query or fragment), e.g. `https://orders.internal:8443/api`. */
  url: string;
  /** Path prefix the gateway serves for this upstream, e.g. `/orders`. Matched case-insensitively. */
  prefix: string;
  /** Methods forwarded. Default `['GET']`. */
  methods?: GatewayMethod[];
  /** Scopes a caller needs (all of them), as `@RequireScopes()`. */
  scopes?: string[];
  /** Roles a caller needs (all of them), as `@Roles()`. */
  roles?: string[];
  /** Trust boundary the routes are in, as `@Boundary()`. */
  boundary?: string;
  /** Any authenticated caller (when no scopes or roles are given). */
  authenticated?: boolean;
  /** Anyone, authenticated or not. Exclusive with `scopes`, `roles` and `authenticated`. */
  public?: boolean;
  /**
   * How the gateway authenticates to the upstream: an {@link UpstreamCredential} (for example
   * {@link clientCredentialsUpstream}) or `'none'` for an upstream that needs no credential. Required.
   */
  credential: UpstreamCredential | 'none';
  /** Milliseconds to wait for the upstream's response headers, and between body chunks. Default `10_000`. */
  timeoutMs?: number;
  /** Largest request body forwarded, in bytes (413 beyond). Default `10_485_760` (10 MiB). */
  maxRequestBytes?: number;
  /** Largest response body passed back, in bytes (502 when declared beyond; cut off when it grows beyond). Default `10_485_760`. */
  maxResponseBytes?: number;
  /** Concurrent requests in flight to this upstream; more get 503 `ERR_UPSTREAM_BUSY`. Default `64`. */
  concurrency?: number;
  /** Retries of idempotent requests. Default none. */
  retry?: GatewayRetryPolicy;
  /** Circuit breaker. */
  breaker?: GatewayBreakerOptions;
  /** Pass the upstream's `Set-Cookie` to the caller. Default `false` (dropped). */
  allowSetCookie?: boolean;
  /** Allow an `http:` upstream URL (plain text on the network). Default `false`. */
  allowInsecureHttp?: boolean;
}

/** Options of `BastionGatewayModule.forRoot()`. */
export interface GatewayOptions {
  /** Upstreams by name (the name appears in audit details and OpenAPI tags). */
  upstreams: Record<string, GatewayUpstream>;
  /**
   * Further request headers that carry a caller's credential (custom API-key headers), stripped like
   * `Authorization`, `Cookie`, `DPoP`, `X-API-Key`, `Signature`/`Signature-Input` and client-certificate
   * headers always are. Default none.
   */
  stripRequestHeaders?: string[];
}

/** The settings of an upstream that make its routes: Nest must know them when the app's modules are built. */
export type GatewayRouteKey = 'prefix' | 'methods' | 'scopes' | 'roles' | 'boundary' | 'authenticated' | 'public';

/** The routes of one upstream, as `BastionGatewayModule.forRootAsync()` declares them. */
export type GatewayRoute = Pick<GatewayUpstream, GatewayRouteKey>;

/** What the factory of `BastionGatewayModule.forRootAsync()` returns: the rest of each upstream's settings. */
export interface GatewayAsyncSettings {
  /** For every upstream of `routes` (and no other): its URL, credential and limits, as in `forRoot()`. */
  upstreams: Record<string, Omit<GatewayUpstream, GatewayRouteKey>>;
  /** As `GatewayOptions.stripRequestHeaders`. Default none. */
  stripRequestHeaders?: string[];
}

/**
 * Options of `BastionGatewayModule.forRootAsync()`: the routes are static (they become Nest controllers
 * when the app's modules are built), everything else comes from a factory with injected dependencies.
 */
export interface GatewayAsyncOptions {
  /** Upstreams by name: each one's prefix, methods and who may call it, as in `forRoot()`. */
  routes: Record<string, GatewayRoute>;
  /** Modules whose providers `inject` names (e.g. `ConfigModule`). */
  imports?: ModuleMetadata['imports'];
  /** Providers passed to `useFactory`, in order. */
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  /** Returns (or resolves to) the settings; validated at boot exactly like `forRoot()`'s options. */
  useFactory: (...args: any[]) => GatewayAsyncSettings | Promise<GatewayAsyncSettings>;
}
