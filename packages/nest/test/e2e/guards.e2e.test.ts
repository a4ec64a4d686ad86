import { Controller, Get, Injectable, type ExecutionContext } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthorizationGuard,
  BastionModule,
  BastionThrottlerGuard,
  RequireScopes,
  UsePolicy,
  type Policy,
  type PolicyContext,
  type Principal,
  type RequestContext,
  type RouteContext,
} from '../../src/index.js';
import { ADAPTERS } from '../support/app.js';
import { startWithIssuer, type IssuerApp } from '../support/issuer-app.js';
import { bearer, getFrom } from '../throttling/local-client.js';

// The example of docs/throttling.md ("Your own tracker"), as written there.
@Injectable()
export class TenantThrottlerGuard extends BastionThrottlerGuard {
  // One budget per tenant for authenticated calls; anonymous calls keep the per-IP budget.
  protected override async getTracker(req: Record<string, any>, context: ExecutionContext): Promise<string> {
    const tenant = this.requestContext(req).principal?.claims['tenant_id'];
    return typeof tenant === 'string' ? `tenant:${tenant}` : super.getTracker(req, context);
  }
}

// The example of docs/authorization.md ("Adding to what policies see"), as written there.
type TenantPolicyContext = PolicyContext & { tenant: string | undefined };

@Injectable()
export class TenantAuthorizationGuard extends AuthorizationGuard {
  protected override policyContext(ctx: RequestContext, principal: Principal, route: RouteContext): TenantPolicyContext {
    const tenant = principal.claims['tenant_id'];
    return { ...super.policyContext(ctx, principal, route), tenant: typeof tenant === 'string' ? tenant : undefined };
  }
}

@Injectable()
class TenantT1Only implements Policy {
  evaluate(ctx: PolicyContext): boolean {
    return (ctx as TenantPolicyContext).tenant === 't1';
  }
}

@Controller()
class Routes {
  @Get('reports')
  @RequireScopes('reports:read')
  reports() {
    return { ok: true };
  }

  @Get('t1')
  @UsePolicy(TenantT1Only)
  t1() {
    return { ok: true };
  }
}

describe.each(ADAPTERS)('guards replaced through the guards option (%s)', (adapter) => {
  let app: IssuerApp;
  let issuer: IssuerApp['issuer'];
  const get = (path: string, token: string) => getFrom(`${app.running.url}${path}`, { headers: bearer(token) });

  beforeAll(async () => {
    app = await startWithIssuer(
      adapter,
      (testIssuer) => ({
        jwt: testIssuer.options(),
        throttle: { principal: { limit: 3, ttl: 60_000 } },
        guards: { throttler: TenantThrottlerGuard, authorization: TenantAuthorizationGuard },
      }),
      [Routes],
      [TenantT1Only],
    );
    issuer = app.issuer;
  });
  afterAll(() => app?.close());

  it("counts the users of one tenant in one budget (the subclass's tracker)", async () => {
    const alice = await issuer.sign({ sub: 'alice', tenant_id: 'acme', scope: 'reports:read' });
    const bob = await issuer.sign({ sub: 'bob', tenant_id: 'acme', scope: 'reports:read' });
    const statuses = [];
    for (const token of [alice, bob, alice, bob]) statuses.push((await get('/reports', token)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await get('/reports', await issuer.sign({ sub: 'carol', tenant_id: 'globex', scope: 'reports:read' }))).status).toBe(200);
  });

  it("gives policies the subclass's context", async () => {
    expect((await get('/t1', await issuer.sign({ sub: 'dave', tenant_id: 't1' }))).status).toBe(200);
    expect((await get('/t1', await issuer.sign({ sub: 'erin', tenant_id: 't2' }))).status).toBe(403);
  });
});

describe('the guards option', () => {
  it.each([
    [{ throttler: class NotAGuard {} }, '"guards.throttler" must be a class extending BastionThrottlerGuard'],
    [{ authentication: TenantThrottlerGuard }, '"guards.authentication" must be a class extending AuthenticationGuard'],
    [{ cors: TenantThrottlerGuard }, '"guards.cors" is not a guard Bastion registers'],
  ])('refuses %o at boot', (guards, message) => {
    expect(() => BastionModule.forRoot({ guards: guards as never })).toThrow(message);
  });
});
