import { Inject, type Type } from '@nestjs/common';
import type { AuthenticationGuard } from '../authentication/authentication.guard.js';
import type { AuthorizationGuard } from '../authorization/authorization.guard.js';
import type { BoundaryOptions } from '../authorization/boundary-options.js';
import type { IssuerConfig } from '../authentication/jwt/jwt-config.js';
import type { ResolvedGraphqlOptions } from '../graphql/graphql-options.js';
import type { ApiKeyConfig } from '../authentication/api-key/api-key-config.js';
import type { SignatureConfig } from '../authentication/signature/signature-config.js';
import type { DpopConfig } from '../authentication/dpop/dpop-config.js';
import type { MtlsConfig } from '../authentication/mtls/mtls-config.js';
import type { RevocationSettings } from '../revocation/revocation-settings.js';
import type { ResolvedWebSocketOptions } from '../sockets/websocket-options.js';
import type { StoreOptions } from '../stores/store-options.js';
import type { TrustedProxies } from '../net/trusted-proxies.js';
import type { UntrustedForwardingWarning } from '../net/untrusted-forwarding.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import type { BastionThrottlerGuard } from '../throttling/bastion-throttler.guard.js';
import type { ResolvedBruteForceOptions, ResolvedThrottleOptions } from '../throttling/throttle-options.js';
import type { ResolvedTransport } from '../transport/resolved-transport.js';
import type { Authenticator } from './authenticator.js';

/** A custom authenticator as configured: an instance, or an injectable class Nest instantiates. */
export type AuthenticatorEntry = Authenticator | Type<Authenticator>;

/** The guard classes Bastion registers (the built-ins, or subclasses given in `guards`). */
export interface ResolvedGuards {
  readonly authentication: Type<AuthenticationGuard>;
  readonly throttler: Type<BastionThrottlerGuard>;
  readonly authorization: Type<AuthorizationGuard>;
}

/**
 * Bastion's configuration, resolved once at boot from {@link BastionOptions}: validated, every default
 * applied, the trust list (`jwt` or `issuers`) resolved and its static keys imported, the trusted-proxy
 * list built. Deeply frozen (ports and clients passed in are kept as given). Provided under {@link BASTION_CONFIG}; every part of Bastion reads its slice from it.
 */
export interface BastionConfig {
  /** The validated options as given (a frozen copy), for areas that read them as written. */
  readonly options: Readonly<BastionOptions>;
  /** Strict mode (`strict`, default `true`). */
  readonly strict: boolean;
  /** `realm` of `WWW-Authenticate` challenges (default `'api'`). */
  readonly realm: string;
  /** Base URI of problem `type`s, if set (`errors.typeBaseUri`). */
  readonly typeBaseUri: string | undefined;
  /** Peers whose forwarding headers are believed (built once from `trustedProxies`). */
  readonly trustedProxies: TrustedProxies;
  /** The once-only warning about forwarding headers from untrusted peers. */
  readonly untrustedForwarding: UntrustedForwardingWarning;
  /** The trust list (`jwt` or `issuers`), resolved: JWT key sources and introspection (empty when neither is set). */
  readonly issuers: readonly IssuerConfig[];
  /** RFC 9421 signed requests (`signature`), resolved with its key ring imported; `undefined` when not set. */
  readonly signature: SignatureConfig | undefined;
  /** API keys (`apiKey`), resolved; `undefined` when not set. */
  readonly apiKey: ApiKeyConfig | undefined;
  /** DPoP (`dpop`), resolved: algorithms, mode, proof window, nonce rotation, origins; `undefined` when not set. */
  readonly dpop: DpopConfig | undefined;
  /** Mutual TLS (`mtls`), resolved: trust anchors, clients, forwarded-certificate header; `undefined` when not set. */
  readonly mtls: MtlsConfig | undefined;
  /**
   * Where counters and security state live (`store`, validated; `undefined`: bounded memory). Clients and
   * custom ports are the objects passed in.
   */
  readonly store: Readonly<StoreOptions> | undefined;
  /** Revocation and token-lifetime settings (`revocation`, `tokens`, and the issuers' clock tolerance). */
  readonly revocation: Readonly<RevocationSettings>;
  readonly throttle: ResolvedThrottleOptions;
  readonly bruteForce: ResolvedBruteForceOptions;
  readonly transport: ResolvedTransport;
  readonly boundaries: Readonly<Record<string, BoundaryOptions>>;
  readonly defaultBoundary: string | undefined;
  /** Custom authenticators (`authenticators`), in order; built-ins are added from their own options. */
  readonly authenticators: readonly AuthenticatorEntry[];
  readonly guards: ResolvedGuards;
  /** The strict global validation pipe is registered (`validation.enabled`, default `true`). */
  readonly validation: boolean;
  /** GraphQL limits and introspection (`graphql`), defaults applied. */
  readonly graphql: Readonly<ResolvedGraphqlOptions>;
  /** WebSocket handshake credentials and origins (`websockets`), defaults applied. */
  readonly websockets: ResolvedWebSocketOptions;
}

/** Injection token of the resolved {@link BastionConfig}. */
export const BASTION_CONFIG = Symbol('BASTION_CONFIG');

/** Parameter decorator injecting the resolved {@link BastionConfig}. */
export const InjectBastionConfig = (): PropertyDecorator & ParameterDecorator => Inject(BASTION_CONFIG);
