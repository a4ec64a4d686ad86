import type { BoundaryOptions } from '../authorization/boundary-options.js';
import type { JwtOptions } from '../authentication/jwt/jwt-options.js';
import type { SignatureOptions } from '../authentication/signature/signature-options.js';
import type { ApiKeyOptions } from '../authentication/api-key/api-key-options.js';
import type { IssuerOptions } from '../authentication/issuers/issuer-options.js';
import type { DpopOptions } from '../authentication/dpop/dpop-options.js';
import type { MtlsOptions } from '../authentication/mtls/mtls-options.js';
import type { CorsOptions, HttpsOptions, LimitsOptions, SecurityHeadersOptions, TimeoutsOptions, ValidationOptions } from '../transport/transport-options.js';
import type { StoreOptions } from '../stores/store-options.js';
import type { AuditOptions } from '../audit/audit-options.js';
import type { AlertOptions } from '../alerts/alert-options.js';
import type { RevocationOptions, TokenRulesOptions } from '../revocation/revocation-options.js';
import type { BruteForceOptions, ThrottleOptions } from '../throttling/throttle-options.js';
import type { Type } from '@nestjs/common';
import type { Authenticator } from '../core/authenticator.js';
import type { GuardsOptions } from './guards-options.js';
import type { GraphqlOptions } from '../graphql/graphql-options.js';
import type { WebSocketOptions } from '../sockets/websocket-options.js';
import type { TelemetryOptions } from '../telemetry/telemetry-options.js';

/**
 * Options of {@link BastionModule}. Validated once at boot; an invalid or insecure value stops the app
 * with a message naming the option.
 *
 * @example
 * ```ts
 * BastionModule.forRoot({
 *   jwt: { issuer: 'https://id.example.com', audience: 'orders-api', jwksUri: 'https://id.example.com/jwks' },
 * });
 * ```
 */
export interface BastionOptions {
  /** Response security headers: overrides of the OWASP API preset, or `false` for none. See `docs/hardening.md`. */
  headers?: SecurityHeadersOptions | false;
  /** CORS allow-list. Default: none (no CORS header is sent). */
  cors?: CorsOptions;
  /** HTTPS enforcement. Default: on, plain HTTP allowed only as local loopback traffic. */
  https?: HttpsOptions;
  /** Media types accepted for request bodies (415 otherwise). Default `['application/json']`. */
  contentTypes?: string[];
  /** Body, JSON, query, URL and header limits. */
  limits?: LimitsOptions;
  /** Server timeouts (slowloris). */
  timeouts?: TimeoutsOptions;
  /** The strict global validation pipe. */
  validation?: ValidationOptions;
  /** Bearer JWT issuers (JWTs only; `issuers` is the same list with introspection). */
  jwt?: JwtOptions;
  /**
   * The trust list: issuers whose access tokens are accepted, as JWTs and/or opaque tokens checked by
   * introspection (RFC 7662). Use instead of `jwt`, not with it. See `docs/authentication.md`.
   */
  issuers?: IssuerOptions[];
  /** RFC 9421 signed requests (credential `signature`): key ring, required components, time window. See `docs/authentication.md`. */
  signature?: SignatureOptions;
  /** API keys (credential `api-key`): key store and header. See `docs/authentication.md`. */
  apiKey?: ApiKeyOptions;
  /** DPoP-bound access tokens (RFC 9449), verified by the trust list (`jwt` or `issuers`). Default: off. See `docs/authentication.md`. */
  dpop?: DpopOptions;
  /** Mutual TLS (RFC 8705): client certificates as credentials and certificate-bound tokens. Default: off. */
  mtls?: MtlsOptions;
  /** `realm` of `WWW-Authenticate` challenges. Default `'api'`. */
  realm?: string;
  /**
   * Removed: GraphQL, WebSocket and microservice handlers are checked like routes (see
   * `docs/transports.md`). Setting it stops the app at boot with a migration message.
   * @deprecated Remove it; mark handlers that must stay open with `@Public()`.
   */
  allowContexts?: never;
  errors?: {
    /** Base URI for problem `type` (`<base>/<code>`). Default: `about:blank` (RFC 9457 §4.2.1). */
    typeBaseUri?: string;
  };
  /**
   * Peers whose forwarding headers (`X-Forwarded-For`/`-Proto`/`-Host`, RFC 7239 `Forwarded`) and
   * `X-Request-Id` are believed: addresses, CIDR ranges, or `loopback`, `linklocal`, `uniquelocal`. The
   * client IP is the right-most untrusted hop. Default `['127.0.0.1', '::1']` (the host's own proxy; not
   * the whole loopback range).
   */
  trustedProxies?: string[];
  /** Rate limits on `@nestjs/throttler`; on by default. See `docs/throttling.md`. */
  throttle?: ThrottleOptions;
  /** Blocking of IPs with many failed authentications; on by default. */
  bruteForce?: BruteForceOptions;
  /** Shared state (throttle counters, blocks, replay nonces, revocations). Default `{ type: 'memory' }`. */
  store?: StoreOptions;
  /** Audit log of security events: sink and redaction. Default: redacted JSON lines on stdout. See `docs/audit.md`. */
  audit?: AuditOptions;
  /** Alerts on suspicious activity (sliding windows), to the audit log, a signed webhook or your code. On by default. */
  alerts?: AlertOptions;
  /** Token revocation checks (store-backed). On by default. */
  revocation?: RevocationOptions;
  /** Token lifetime rules: `maxLifetime` (s, default 3,600) and `requireJti` (default false). */
  tokens?: TokenRulesOptions;
  /**
   * Every route must state its access decision (`@Public()`, `@Authenticated()`, scopes, roles or a
   * policy); a route without one stops the app at boot, naming it. `false` turns that into a warning
   * (the route is still denied to anonymous callers). Default `true`, in every environment.
   */
  strict?: boolean;
  /**
   * Named trust boundaries, each listing the credential types it accepts (each must have an
   * authenticator, or the app does not start). Routes pick one with `@Boundary(name)`.
   *
   * @example
   * ```ts
   * boundaries: { public: { accept: ['jwt'] }, internal: { accept: ['service-key'] } }, defaultBoundary: 'public'
   * ```
   */
  boundaries?: Record<string, BoundaryOptions>;
  /** Boundary of routes without `@Boundary()`. Default: none (every enabled credential type is accepted). */
  defaultBoundary?: string;
  /**
   * Your own credentials, next to the built-in ones (`jwt` is registered from its option): instances of
   * the {@link Authenticator} port, or injectable classes implementing it (taken from your modules'
   * providers, else instantiated by Nest). Each `credential` name may be claimed once. See
   * `docs/authentication.md`. Default none.
   *
   * @example
   * ```ts
   * authenticators: [passportAuthenticator('local'), PartnerTokenAuthenticator],
   * boundaries: { partners: { accept: ['partner-token'] } },
   * ```
   */
  authenticators?: Array<Authenticator | Type<Authenticator>>;
  /** Subclasses to register instead of Bastion's guards (same order, same place in the pipeline). */
  guards?: GuardsOptions;
  /** GraphQL limits and introspection (Apollo and Mercurius through `BastionGraphql`). See `docs/transports.md`. */
  graphql?: GraphqlOptions;
  /** WebSocket handshake credentials and origins (through `secureWebSocketAdapter`). See `docs/transports.md`. */
  websockets?: WebSocketOptions;
  /** Metrics and traces through OpenTelemetry, when the app has an SDK. See `docs/operations.md`. */
  telemetry?: TelemetryOptions;
}
