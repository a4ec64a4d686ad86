import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { BastionModule, type JwtIssuerOptions, type TelemetryOptions } from '@bastion/nest';
import { BastionHealthIndicator } from '@bastion/nest/health';
import { HealthController, InternalController } from './app.controller.js';
import { OrderOwner } from './orders/order-owner.policy.js';
import { OrdersController } from './orders/orders.controller.js';
import { OrdersService } from './orders/orders.service.js';

@Module({})
export class AppModule {
  /**
   * The orders API secured by Bastion: users with tokens of the given issuer; the back-office worker with
   * an API key together with an RFC 9421 signature made with the signing key registered for that key.
   * Metrics go to `telemetry`'s meter provider.
   */
  static register(jwt: JwtIssuerOptions, telemetry?: TelemetryOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        BastionModule.forRoot({
          realm: 'orders-api',
          jwt,
          apiKey: {},
          signature: { keySource: 'api-keys' },
          boundaries: {
            public: { accept: ['jwt'] },
            internal: { accept: [['api-key', 'signature']], clients: ['orders-worker'] },
          },
          defaultBoundary: 'public',
          telemetry,
        }),
        TerminusModule.forRoot(),
      ],
      controllers: [HealthController, OrdersController, InternalController],
      providers: [OrdersService, OrderOwner, BastionHealthIndicator],
    };
  }
}
