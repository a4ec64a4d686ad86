import { Controller, Get, Module, Post, type DynamicModule } from '@nestjs/common';
import { Authenticated, BastionModule, Boundary, CurrentPrincipal, Dpop, Public, RequireScopes, SecurityEvents, type BastionOptions, type Principal } from '../../../src/index.js';
import type { SecurityEvent } from '../../../src/audit/security-event.js';
import type { RunningApp } from '../../support/app.js';

@Controller()
export class DpopController {
  @Get('me')
  @Authenticated()
  me(@CurrentPrincipal() p: Principal) {
    return { subject: p.subject, credential: p.credential, scopes: [...p.scopes] };
  }

  @Get('orders')
  @RequireScopes('orders:read')
  orders() {
    return { orders: [] };
  }

  @Post('pay')
  @Dpop('required')
  @Authenticated()
  pay(@CurrentPrincipal() p: Principal) {
    return { paidBy: p.subject, credential: p.credential };
  }

  @Get('legacy')
  @Dpop('disabled')
  @Authenticated()
  legacy(@CurrentPrincipal() p: Principal) {
    return { subject: p.subject };
  }

  @Get('open')
  @Public()
  open(@CurrentPrincipal() p?: Principal) {
    return { subject: p?.subject ?? null };
  }
}

/** Routes in the `payments` boundary (configure it: `boundaries: { payments: { accept: […], dpop: … } }`). */
@Controller('payments')
@Boundary('payments')
export class PaymentsController {
  @Get()
  @Authenticated()
  list(@CurrentPrincipal() p: Principal) {
    return { subject: p.subject, credential: p.credential };
  }
}

/** Routes in the `billing` boundary, which only the `billing` client may call. */
@Controller('billing')
@Boundary('billing')
export class BillingController {
  @Get()
  @Authenticated()
  list(@CurrentPrincipal() p: Principal) {
    return { subject: p.subject, clientId: p.clientId ?? null };
  }
}

export function dpopModule(options: BastionOptions, controllers: (new () => unknown)[] = [DpopController]): new () => unknown {
  @Module({ imports: [BastionModule.forRoot(options) as DynamicModule], controllers })
  class AppModule {}
  return AppModule;
}

/** Collects an app's security events, to read the audit reason of a response by its request id. */
export function auditOf(running: RunningApp): { reasonOf(res: { headers: { get(name: string): string | null } | Record<string, unknown> }): string | undefined; events: SecurityEvent[] } {
  const events: SecurityEvent[] = [];
  running.app.get(SecurityEvents).subscribe((e) => events.push(e));
  return {
    events,
    reasonOf(res) {
      const headers = res.headers as { get?: (name: string) => string | null } & Record<string, unknown>;
      const id = typeof headers.get === 'function' ? headers.get('x-request-id') : (headers['x-request-id'] as string);
      return events.find((e) => e.requestId === id && (e.outcome === 'failure' || e.outcome === 'denied'))?.reason;
    },
  };
}
