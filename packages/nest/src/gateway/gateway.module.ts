import { Module, type DynamicModule } from '@nestjs/common';
import { STREAMED_BODY_ROUTES } from '../transport/streamed-body.js';
import { gatewayController } from './gateway-controller.js';
import type { GatewayOptions } from './gateway-options.js';
import { GATEWAY_CONFIG, GATEWAY_CONTROLLERS, GatewayProxy } from './gateway.proxy.js';
import { resolveGatewayOptions } from './validate-gateway-options.js';

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
  static forRoot(options: GatewayOptions): DynamicModule {
    const resolved = resolveGatewayOptions(options);
    const controllers = resolved.upstreams.map(gatewayController);
    return {
      module: BastionGatewayModule,
      controllers,
      providers: [{ provide: GATEWAY_CONFIG, useValue: resolved }, { provide: GATEWAY_CONTROLLERS, useValue: controllers }, GatewayProxy, { provide: STREAMED_BODY_ROUTES, useExisting: GatewayProxy }],
      exports: [GatewayProxy],
    };
  }
}
