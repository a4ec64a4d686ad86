import { DynamicModule, Inject, Module, Provider, RequestMethod, type InjectionToken, type MiddlewareConsumer, type ModuleMetadata, type NestModule, type OptionalFactoryDependency, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE, DiscoveryService, HttpAdapterHost, MetadataScanner, ModuleRef } from '@nestjs/core';
import { getOptionsToken, getStorageToken } from '@nestjs/throttler';
import { AlertingService } from './alerts/alerting.service.js';
import { createAuditSink } from './audit/audit-options.js';
import { AUDIT_SINK } from './audit/audit-sink.js';
import { SecurityEvents } from './audit/security-events.service.js';
import { AUTHENTICATION_GUARD } from './authentication/authentication-guard.token.js';
import { API_KEY_STORE } from './authentication/api-key/api-key-store.js';
import { ApiKeys } from './authentication/api-key/api-keys.service.js';
import { AuthenticatorRegistry } from './authentication/authenticator-registry.js';
import { BUILT_IN_AUTHENTICATION_PROVIDERS } from './authentication/builtin-authenticators.js';
import { SenderConstraintCheck } from './authentication/sender-constraint.check.js';
import { AccessTokenVerifier } from './authentication/issuers/access-token-verifier.js';
import { JwtVerifier } from './authentication/jwt/jwt-verifier.js';
import { RouteSecurityMap } from './authorization/route-security-map.service.js';
import { BASTION_CONFIG, type BastionConfig } from './core/bastion-config.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import type { BastionOptions } from './options/bastion-options.interface.js';
import { resolveConfig } from './options/resolve-config.js';
import { PRINCIPAL_CHECKS } from './revocation/principal-check.js';
import { RevocationService } from './revocation/revocation.service.js';
import { TokenChecks } from './revocation/token-checks.js';
import { BASTION_SECURITY_STATE } from './stores/security-state.interface.js';
import { STORE_PROVIDERS } from './stores/store.providers.js';
import { BastionTelemetry } from './telemetry/bastion-telemetry.js';
import { TELEMETRY_PROVIDERS } from './telemetry/telemetry.providers.js';
import { BASTION_STORE } from './stores/store.interface.js';
import { BastionThrottlerStorage } from './throttling/bastion-throttler.storage.js';
import { BruteForceGuard } from './throttling/brute-force.guard.js';
import { BruteForceService } from './throttling/brute-force.service.js';
import { FAILED_CREDENTIAL_LIMIT } from './throttling/failed-credential-limit.js';
import { THROTTLER_MODULE_OPTIONS } from './throttling/throttler-config.js';
import { ConfigureBastionCheck } from './transport/configure-bastion.check.js';
import { isConfigured } from './transport/configured-marker.js';
import { TransportMiddleware } from './transport/transport.middleware.js';
import { validationPipeFor } from './validation/validation-pipe.provider.js';
import { BastionGraphql } from './graphql/bastion-graphql.service.js';
import { GUARD_CHAIN } from './authorization/handler-chain.installer.js';
import { TRANSPORT_PROVIDERS } from './transports.providers.js';

/** Options of {@link BastionModule.forRootAsync}: the same {@link BastionOptions}, from a factory. */
export interface BastionAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  useFactory: (...args: any[]) => BastionOptions | Promise<BastionOptions>;
}

// Tokens of the guard instances (the built-ins or the `guards` subclasses), each created once.
const THROTTLER_GUARD = Symbol('BASTION_THROTTLER_GUARD');
const AUTHORIZATION_GUARD = Symbol('BASTION_AUTHORIZATION_GUARD');

/**
 * Bastion's global guards, in the order they run. The throttler runs twice: before authentication it
 * counts calls without a credential, after it authenticated ones (and failed credentials are counted
 * when authentication rejects them). WebSocket and microservice messages run the same chain from
 * their handler classes (`HandlerChainInstaller`).
 */
const GUARD_ORDER: InjectionToken[] = [BruteForceGuard, THROTTLER_GUARD, AUTHENTICATION_GUARD, THROTTLER_GUARD, AUTHORIZATION_GUARD];

/** A guard of the configured class, instantiated by Nest with its dependencies. */
function guardProvider(token: symbol, pick: (config: BastionConfig) => Type<unknown>): Provider {
  return { provide: token, useFactory: (config: BastionConfig, moduleRef: ModuleRef) => moduleRef.create(pick(config)), inject: [BASTION_CONFIG, ModuleRef] };
}

/**
 * Importing this module secures every route of the app: global guards (brute-force block, throttling,
 * authentication, throttling per principal, authorization), the strict validation pipe
 * and a global problem-details filter. Global guards run in the order registered here.
 */
@Module({})
export class BastionModule implements NestModule {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(BASTION_CONFIG) private readonly config: BastionConfig,
  ) {}

  /**
   * Without `configureBastion(app)` (allowed only with `strict: false`), the request-level transport
   * rules run as module middleware on every route, 404s included. With it they already ran, before
   * body parsing, and no middleware is added.
   */
  configure(consumer: MiddlewareConsumer): void {
    const adapter = this.adapterHost.httpAdapter as object | null | undefined;
    if (adapter == null || isConfigured(adapter) || this.config.strict) return;
    consumer.apply(TransportMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }

  /**
   * @example
   * ```ts
   * BastionModule.forRoot({ jwt: { issuer: 'https://id.example.com', audience: 'orders-api', jwksUri: 'https://id.example.com/jwks' } })
   * ```
   */
  static forRoot(options: BastionOptions): DynamicModule {
    return BastionModule.build({ provide: BASTION_CONFIG, useValue: resolveConfig(options) });
  }

  /**
   * @example
   * ```ts
   * BastionModule.forRootAsync({
   *   imports: [ConfigModule],
   *   inject: [ConfigService],
   *   useFactory: (config: ConfigService) => ({ jwt: { issuer: config.getOrThrow('JWT_ISSUER'), audience: 'orders-api', jwksUri: config.getOrThrow('JWKS_URI') } }),
   * })
   * ```
   */
  static forRootAsync(options: BastionAsyncOptions): DynamicModule {
    return BastionModule.build(
      {
        provide: BASTION_CONFIG,
        useFactory: async (...args: unknown[]) => resolveConfig(await options.useFactory(...args)),
        inject: options.inject ?? [],
      },
      options.imports ?? [],
    );
  }

  private static build(configProvider: Provider, imports: ModuleMetadata['imports'] = []): DynamicModule {
    const providers: Provider[] = [
      configProvider,
      SecurityEvents,
      ...TELEMETRY_PROVIDERS,
      ...STORE_PROVIDERS,
      ...BUILT_IN_AUTHENTICATION_PROVIDERS,
      AuthenticatorRegistry,
      { provide: AUDIT_SINK, useFactory: (c: BastionConfig) => createAuditSink(c.options.audit), inject: [BASTION_CONFIG] },
      RevocationService,
      TokenChecks,
      { provide: PRINCIPAL_CHECKS, useFactory: (...checks: unknown[]) => checks, inject: [SenderConstraintCheck, TokenChecks] },
      AlertingService,
      BruteForceService,
      DiscoveryService,
      MetadataScanner,
      RouteSecurityMap,
      ConfigureBastionCheck,
      { provide: getOptionsToken(), useValue: THROTTLER_MODULE_OPTIONS },
      { provide: getStorageToken(), useClass: BastionThrottlerStorage },
      guardProvider(THROTTLER_GUARD, (c) => c.guards.throttler),
      guardProvider(AUTHENTICATION_GUARD, (c) => c.guards.authentication),
      guardProvider(AUTHORIZATION_GUARD, (c) => c.guards.authorization),
      { provide: FAILED_CREDENTIAL_LIMIT, useExisting: THROTTLER_GUARD },
      BruteForceGuard,
      ...GUARD_ORDER.map((token): Provider => ({ provide: APP_GUARD, useExisting: token })),
      { provide: GUARD_CHAIN, useFactory: (...guards: unknown[]) => guards, inject: GUARD_ORDER },
      { provide: APP_PIPE, useFactory: validationPipeFor, inject: [BASTION_CONFIG, BastionTelemetry] },
      { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ...TRANSPORT_PROVIDERS,
    ];
    return {
      module: BastionModule,
      global: true,
      imports,
      providers,
      exports: [BASTION_CONFIG, BASTION_STORE, BASTION_SECURITY_STATE, SecurityEvents, RevocationService, RouteSecurityMap, JwtVerifier, AccessTokenVerifier, AuthenticatorRegistry, BastionGraphql, ApiKeys, API_KEY_STORE],
    };
  }
}
