import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Authenticated, Boundary, CurrentPrincipal, Public, RequireScopes, type Principal } from '@bastion/nest';
import { BastionHealthIndicator } from '@bastion/nest/health';
import { OrdersService } from './orders/orders.service.js';

@Controller()
export class HealthController {
  constructor(
    private readonly healthChecks: HealthCheckService,
    private readonly bastion: BastionHealthIndicator,
  ) {}

  /** Liveness: the process answers. */
  @Get('health')
  @Public()
  health() {
    return { status: 'ok' };
  }

  /** Readiness: the issuer's keys, and the store, are usable (503 otherwise). */
  @Get('health/ready')
  @Public()
  @HealthCheck()
  ready() {
    return this.healthChecks.check([() => this.bastion.isHealthy('bastion')]);
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
