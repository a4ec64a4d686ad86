import { Controller, Get } from '@nestjs/common';
import { Authenticated, Boundary, CurrentPrincipal, Public, RequireScopes, type Principal } from '@bastion/nest';
import { OrdersService } from './orders/orders.service.js';

@Controller()
export class HealthController {
  @Get('health')
  @Public()
  health() {
    return { status: 'ok' };
  }

  @Get('me')
  @Authenticated()
  me(@CurrentPrincipal() principal: Principal) {
    return { subject: principal.subject, scopes: [...principal.scopes], roles: [...principal.roles] };
  }
}

/** Only the back-office worker may call these: its API key, with every request signed by its signing key. */
@Controller('internal')
@Boundary('internal')
export class InternalController {
  constructor(private readonly orders: OrdersService) {}

  @Get('orders/export')
  @RequireScopes('orders:export')
  export() {
    return { count: this.orders.all().length };
  }
}
