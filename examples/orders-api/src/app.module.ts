import { Module, type DynamicModule } from '@nestjs/common';
import { BastionModule, type JwtIssuerOptions } from '@bastion/nest';
import { HealthController, InternalController } from './app.controller.js';
import { OrderOwner } from './orders/order-owner.policy.js';
import { OrdersController } from './orders/orders.controller.js';
import { OrdersService } from './orders/orders.service.js';

@Module({})
export class AppModule {
  /** The orders API secured by Bastion, trusting the given token issuer. */
  static register(jwt: JwtIssuerOptions): DynamicModule {
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
        }),
      ],
      controllers: [HealthController, OrdersController, InternalController],
      providers: [OrdersService, OrderOwner],
    };
  }
}
