import { describe, expect, it } from 'vitest';
import { auditOfFiles } from '../helpers/project.js';

const entry = (files: Record<string, string>) => {
  const r = auditOfFiles(files);
  return (handler: string) => r.routes.find((x) => x.handler === handler)!.protection.entryPoint;
};

describe('authentication entry points', () => {
  it('recognises terminus health services, Prometheus controllers and Stripe-verified webhooks from the code', () => {
    const of = entry({
      'ops.ts': `import { Body, Controller, Get, Headers, Post } from '@nestjs/common';
import { HealthCheckService } from '@nestjs/terminus';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import Stripe from 'stripe';
@Controller('probe')
export class ProbeController {
  constructor(private readonly health: HealthCheckService) {}
  @Get() alive() { return this.health.check([]); }
}
@Controller('metrics')
export class MetricsController extends PrometheusController {}
@Controller('stripe')
export class StripeController {
  constructor(private readonly stripe: Stripe) {}
  @Post() hook(@Headers('stripe-signature') sig: string, @Body() raw: string) {
    return this.stripe.webhooks.constructEvent(raw, sig, process.env.STRIPE_WEBHOOK_SECRET ?? '');
  }
}
`,
    });
    expect(of('ProbeController.alive')).toMatchObject({ kind: 'health', basis: 'code' });
    expect(of('StripeController.hook')).toMatchObject({ kind: 'webhook', basis: 'code' });
    expect(of('StripeController.hook')!.evidence[0]).toContain('constructEvent');
  });

  it('does not take ordinary routes for entry points because of a common word', () => {
    const of = entry({
      'orders.ts': `import { Controller, Get, Post } from '@nestjs/common';
@Controller('orders')
export class OrdersController {
  @Post(':id/confirm') confirm() { return {}; }
  @Get(':id/status') status() { return {}; }
}
@Controller('cache')
export class CacheController {
  @Post('refresh') refresh() { return {}; }
}
@Controller('payments')
export class PaymentsController {
  @Post('callback') callback() { return {}; }
  @Post('token') tokenize() { return {}; }
}
@Controller('webhooks')
export class WebhooksController {
  @Post('github') github() { return {}; }
}
`,
    });
    for (const h of ['OrdersController.confirm', 'OrdersController.status', 'CacheController.refresh', 'PaymentsController.callback', 'PaymentsController.tokenize', 'WebhooksController.github']) {
      expect(of(h), h).toBeUndefined();
    }
  });

  it('a bearer-authenticated logout is authenticated, not an entry point; names count only for open routes', () => {
    const r = auditOfFiles({
      'auth.ts': `import { Controller, Post, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
@Controller('auth')
export class AuthController {
  @UseGuards(AuthGuard('jwt')) @Post('logout') logout() { return {}; }
  @Post('login') login() { return {}; }
  @Post('email/verify') verify() { return {}; }
}
`,
    });
    const p = (h: string) => r.routes.find((x) => x.handler === h)!.protection;
    expect(p('AuthController.logout')).toMatchObject({ kind: 'method-guard' });
    expect(p('AuthController.logout').entryPoint).toBeUndefined();
    expect(p('AuthController.login')).toMatchObject({ kind: 'public-by-design', entryPoint: { kind: 'login', basis: 'name' } });
    expect(p('AuthController.verify')).toMatchObject({ entryPoint: { kind: 'confirm', basis: 'name' } });
  });
});
