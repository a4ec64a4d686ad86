import { Module, type DynamicModule, type ModuleMetadata, type Provider, type Type } from '@nestjs/common';
import { STREAMED_BODY_ROUTES } from '../transport/streamed-body.js';
import { gatewayController } from './gateway-controller.js';
import type { GatewayAsyncOptions, GatewayOptions } from './gateway-options.js';
import { GATEWAY_CONFIG, GATEWAY_CONTROLLERS, GatewayProxy } from './gateway.proxy.js';
import { BastionConfigError } from '../options/assert.js';
import { mergeGatewaySettings, resolveGatewayOptions, resolveGatewayRoutes } from './validate-gateway-options.js';

/**
 * An API gateway on Bastion: each declared upstream becomes real Nest routes (`prefix` and below, for
 * its methods) that Bastion secures like any other — authentication, scopes/roles/boundary, throttling,
 * audit — and that stream the request to the upstream and its answer back with undici, without the
 * caller's credentials and with the gateway's own. Needs `BastionModule` and `configureBastion(app)`.
 * Options are validated when `forRoot` is called; a mistake throws `BastionConfigError`.
 *
 * @example
 * ```ts
 * BastionGatewayModule.forRoot({
 *   upstreams: {
 *     orders: { url: 'https://orders.internal', prefix: '/orders', methods: ['GET', 'POST'], scopes: ['orders:read'],
 *               credential: clientCredentialsUpstream(tokens), timeoutMs: 5000 },
 *   },
 * });
 * ```
 */
@Module({})
export class BastionGatewayModule {
  /** The gateway with static options, validated here: a mistake throws `BastionConfigError` naming the option. */
  static forRoot(options: GatewayOptions): DynamicModule {
    const resolved = resolveGatewayOptions(options);
    return BastionGatewayModule.build(resolved.upstreams.map(gatewayController), { provide: GATEWAY_CONFIG, useValue: resolved });
  }

  /**
   * The routes are declared here (Nest registers them when the app's modules are built); the rest of each
   * upstream — its URL, credential, limits — comes from `useFactory`, with `inject`ed providers. The factory's
   * settings are validated when it runs, at boot, exactly like `forRoot()`'s options.
   *
   * @example
   * ```ts
   * BastionGatewayModule.forRootAsync({
   *   routes: { orders: { prefix: '/orders', methods: ['GET', 'POST'], scopes: ['orders:read'] } },
   *   imports: [ConfigModule],
   *   inject: [ConfigService],
   *   useFactory: (config: ConfigService) => ({
   *     upstreams: { orders: { url: config.getOrThrow('ORDERS_URL'), credential: clientCredentialsUpstream(tokens) } },
   *   }),
   * });
   * ```
   */
  static forRootAsync(options: GatewayAsyncOptions): DynamicModule {
    if (typeof options?.useFactory !== 'function') throw new BastionConfigError('gateway.useFactory', 'must be a function returning the upstreams\' settings');
    const routes = resolveGatewayRoutes(options.routes);
    return BastionGatewayModule.build(
      routes.map(gatewayController),
      {
        provide: GATEWAY_CONFIG,
        useFactory: async (...args: unknown[]) => resolveGatewayOptions(mergeGatewaySettings(options.routes, await options.useFactory(...args))),
        inject: options.inject ?? [],
      },
      options.imports ?? [],
    );
  }

  private static build(controllers: Type<unknown>[], configProvider: Provider, imports: ModuleMetadata['imports'] = []): DynamicModule {
    return {
      module: BastionGatewayModule,
      imports,
      controllers,
      providers: [configProvider, { provide: GATEWAY_CONTROLLERS, useValue: controllers }, GatewayProxy, { provide: STREAMED_BODY_ROUTES, useExisting: GatewayProxy }],
      exports: [GatewayProxy],
    };
  }
}
