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
  /** The orders API secured by Bastion, trusting the given token issuer; metrics go to `telemetry`'s meter provider. */
  static register(jwt: JwtIssuerOptions, telemetry?: TelemetryOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        BastionModule.forRoot({
          realm: 'orders-api',
          jwt,
          boundaries: {
            public: { accept: ['jwt'] },
            internal: { accept: ['jwt'], clients: ['orders-worker'] },
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
