import { DynamicModule, Module, Provider, type InjectionToken, type ModuleMetadata, type OptionalFactoryDependency } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { SecurityEvents } from './audit/security-events.service.js';
import { createAuditSink } from './audit/audit-options.js';
import { AUDIT_SINK } from './audit/audit-sink.js';
import { AlertingService } from './alerts/alerting.service.js';
import { PRINCIPAL_CHECKS } from './revocation/principal-check.js';
import { RevocationService } from './revocation/revocation.service.js';
import { TokenChecks } from './revocation/token-checks.js';
import { AuthenticationGuard } from './authentication/authentication.guard.js';
import { Reflector } from '@nestjs/core';
import { getOptionsToken, getStorageToken } from '@nestjs/throttler';
import { BastionThrottlerGuard } from './throttling/bastion-throttler.guard.js';
import { BastionThrottlerStorage } from './throttling/bastion-throttler.storage.js';
import { AnonymousThrottlerGuard } from './throttling/anonymous-throttler.guard.js';
import { BruteForceGuard } from './throttling/brute-force.guard.js';
import { BruteForceService } from './throttling/brute-force.service.js';
import { throttlerOptionsFor } from './throttling/throttler-config.js';
import { AuthorizationGuard } from './authorization/authorization.guard.js';
import { AuthorizationBodyInterceptor } from './authorization/authorization-body.interceptor.js';
import { RouteSecurityMap } from './authorization/route-security-map.service.js';
import { JwtAuthenticator } from './authentication/jwt/jwt.authenticator.js';
import { JWT_PROVIDERS } from './authentication/jwt/jwt.providers.js';
import { SIGNATURE_PROVIDERS } from './authentication/signature/signature.providers.js';
import { SignatureAuthenticator } from './authentication/signature/signature.authenticator.js';
import { API_KEY_PROVIDERS } from './authentication/api-key/api-key.providers.js';
import { ApiKeyAuthenticator } from './authentication/api-key/api-key.authenticator.js';
import { ApiKeys } from './authentication/api-key/api-keys.service.js';
import { API_KEY_STORE } from './authentication/api-key/api-key-store.js';
import { JwtVerifier } from './authentication/jwt/jwt-verifier.js';
import { AUTHENTICATORS } from './core/authenticator.js';
import { BASTION_OPTIONS } from './core/constants.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import { MiddlewareConsumer, NestModule, RequestMethod } from '@nestjs/common';
import { APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { SecurityHeadersInterceptor } from './transport/security-headers.interceptor.js';
import { TransportMiddleware } from './transport/transport.middleware.js';
import { validationPipeFor } from './validation/validation-pipe.provider.js';
import type { BastionOptions } from './options/bastion-options.interface.js';
import { validateOptions } from './options/validate-options.js';
import { StoreLifecycle, createStore } from './stores/store.factory.js';
import { BASTION_STORE } from './stores/store.interface.js';

/** Options of {@link BastionModule.forRootAsync}: the same {@link BastionOptions}, from a factory. */
export interface BastionAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  useFactory: (...args: any[]) => BastionOptions | Promise<BastionOptions>;
}

/**
 * Importing this module secures every route of the app: global guards (authentication, throttling,
 * authorization) and a global problem-details filter. Global guards run in the order registered here.
 */
@Module({})
export class BastionModule implements NestModule {
  /** Transport rules (headers, HTTPS, CORS, content type, query limits) on every route, 404s included. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(TransportMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }

  /**
   * @example
   * ```ts
   * BastionModule.forRoot({ jwt: { issuer: 'https://id.example.com', audience: 'orders-api', jwksUri: 'https://id.example.com/jwks' } })
   * ```
   */
  static forRoot(options: BastionOptions): DynamicModule {
    return BastionModule.build({ provide: BASTION_OPTIONS, useValue: validateOptions(options) });
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
        provide: BASTION_OPTIONS,
        useFactory: async (...args: unknown[]) => validateOptions(await options.useFactory(...args)),
        inject: options.inject ?? [],
      },
      options.imports ?? [],
    );
  }

  private static build(optionsProvider: Provider, imports: ModuleMetadata['imports'] = []): DynamicModule {
    const providers: Provider[] = [
      optionsProvider,
      SecurityEvents,
      { provide: BASTION_STORE, useFactory: (o: BastionOptions) => createStore(o.store), inject: [BASTION_OPTIONS] },
      StoreLifecycle,
      ...JWT_PROVIDERS,
      ...SIGNATURE_PROVIDERS, ...API_KEY_PROVIDERS,
      { provide: AUTHENTICATORS, useFactory: (...authenticators: unknown[]) => authenticators.filter(Boolean), inject: [JwtAuthenticator, SignatureAuthenticator, ApiKeyAuthenticator] },
      { provide: AUDIT_SINK, useFactory: (o: BastionOptions) => createAuditSink(o.audit), inject: [BASTION_OPTIONS] },
      RevocationService,
      TokenChecks,
      { provide: PRINCIPAL_CHECKS, useFactory: (tokenChecks: TokenChecks) => [tokenChecks], inject: [TokenChecks] },
      AlertingService,
      BruteForceService,
      { provide: APP_GUARD, useClass: BruteForceGuard },
      { provide: APP_GUARD, useClass: AnonymousThrottlerGuard },
      { provide: APP_GUARD, useClass: AuthenticationGuard },
      { provide: getOptionsToken(), useFactory: throttlerOptionsFor, inject: [BASTION_OPTIONS, Reflector] },
      { provide: getStorageToken(), useClass: BastionThrottlerStorage },
      { provide: APP_GUARD, useClass: BastionThrottlerGuard },
      DiscoveryService,
      MetadataScanner,
      RouteSecurityMap,
      { provide: APP_GUARD, useClass: AuthorizationGuard },
      { provide: APP_INTERCEPTOR, useClass: AuthorizationBodyInterceptor },
      { provide: APP_PIPE, useFactory: validationPipeFor, inject: [BASTION_OPTIONS] },
      { provide: APP_INTERCEPTOR, useClass: SecurityHeadersInterceptor },
      { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    ];
    return {
      module: BastionModule,
      global: true,
      imports,
      providers,
      exports: [BASTION_OPTIONS, BASTION_STORE, SecurityEvents, RevocationService, RouteSecurityMap, JwtVerifier, ApiKeys, API_KEY_STORE],
    };
  }
}
