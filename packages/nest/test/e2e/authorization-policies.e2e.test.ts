import { Controller, Get, Injectable, Module, Param, type DynamicModule } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BastionModule,
  ClaimMatchPolicy,
  OwnershipPolicy,
  RequireScopes,
  SecurityEvents,
  UsePolicy,
  type Policy,
  type PolicyContext,
  type SecurityEvent,
} from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';

interface Order {
  id: string;
  ownerId: string;
  item: string;
}

@Injectable()
class OrdersService {
  private readonly orders = new Map<string, Order>([
    ['1', { id: '1', ownerId: 'alice', item: 'alice-book' }],
    ['2', { id: '2', ownerId: 'bob', item: 'bob-secret' }],
  ]);
  lookups = 0;
  async find(id: string): Promise<Order | undefined> {
    this.lookups++;
    return this.orders.get(id);
  }
}

/** A hand-written policy with an injected service; answers 404 so other users' orders stay invisible. */
@Injectable()
class OrderOwnerPolicy implements Policy {
  readonly onDeny = 'not-found' as const;
  constructor(private readonly orders: OrdersService) {}
  async evaluate({ principal, params }: PolicyContext): Promise<boolean> {
    return (await this.orders.find(params.id!))?.ownerId === principal.subject;
  }
}

const OrderOwnerForbidden = OwnershipPolicy<Order>({
  name: 'OrderOwnerForbidden',
  resource: (ctx, ref) => ref.get(OrdersService, { strict: false }).find(ctx.params.id!),
  field: 'ownerId',
  onDeny: 'forbidden',
});
const ProfileOwner = OwnershipPolicy({ name: 'ProfileOwner', param: 'userId' });
const SameTenant = ClaimMatchPolicy({ name: 'SameTenant', claim: 'org.tenant', param: 'tenantId' });

@Controller()
@RequireScopes('orders:read')
class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get('orders/:id')
  @UsePolicy(OrderOwnerPolicy)
  async findOne(@Param('id') id: string) {
    return this.orders.find(id);
  }

  @Get('strict-orders/:id')
  @UsePolicy(OrderOwnerForbidden)
  async findOneForbidden(@Param('id') id: string) {
    return this.orders.find(id);
  }

  @Get('users/:userId/profile')
  @UsePolicy(ProfileOwner)
  profile(@Param('userId') userId: string) {
    return { userId };
  }

  @Get('tenants/:tenantId/invoices')
  @UsePolicy(SameTenant)
  invoices(@Param('tenantId') tenantId: string) {
    return { tenantId };
  }
}

function appModule(issuer: TestIssuer): new () => unknown {
  @Module({
    imports: [BastionModule.forRoot({ realm: 'orders', jwt: issuer.options() }) as DynamicModule],
    controllers: [OrdersController],
    providers: [OrdersService, OrderOwnerPolicy, OrderOwnerForbidden, ProfileOwner, SameTenant],
  })
  class AppModule {}
  return AppModule;
}

describe.each(ADAPTERS)('authorization: policies and BOLA (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  let alice: string;
  let aliceNoScope: string;
  const events: SecurityEvent[] = [];

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    running = await startApp(appModule(issuer), adapter);
    running.app.get(SecurityEvents).subscribe((e) => events.push(e));
    alice = await issuer.sign({ sub: 'alice', scope: 'orders:read', org: { tenant: 't-1' } });
    aliceNoScope = await issuer.sign({ sub: 'alice', scope: 'profile' });
  });
  afterAll(async () => {
    await running?.close();
    await issuer?.close();
  });

  const get = (path: string, token: string) => fetch(`${running.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const problem = async (res: Response) => {
    const body = await res.text();
    expect(problemInvariants(res, body)).toEqual([]);
    return { body, doc: JSON.parse(body) as Record<string, unknown> };
  };

  it('lets alice read her own order', async () => {
    const res = await get('/orders/1', alice);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: '1', ownerId: 'alice', item: 'alice-book' });
  });

  it("answers 404 for bob's order, exactly as for an order that does not exist (BOLA, OWASP API1)", async () => {
    events.length = 0;
    const other = await get('/orders/2', alice);
    const missing = await get('/orders/999', alice);
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    const a = await problem(other);
    const b = await problem(missing);
    expect(a.body).not.toContain('bob');
    expect(a.doc.code).toBe('ERR_NOT_FOUND');
    const { requestId: _a, ...shapeA } = a.doc;
    const { requestId: _b, ...shapeB } = b.doc;
    expect(shapeA).toEqual(shapeB);
    expect(other.headers.get('www-authenticate')).toBeNull();
    const denied = events.filter((e) => e.type === 'authorization.denied');
    expect(denied.map((e) => [e.reason, e.details?.detail])).toEqual([
      ['ERR_POLICY_DENIED', 'policy OrderOwnerPolicy denied'],
      ['ERR_POLICY_DENIED', 'policy OrderOwnerPolicy denied'],
    ]);
  });

  it('answers 403 ERR_POLICY_DENIED when the policy is configured to', async () => {
    expect((await get('/strict-orders/1', alice)).status).toBe(200);
    const res = await get('/strict-orders/2', alice);
    expect(res.status).toBe(403);
    const { doc, body } = await problem(res);
    expect(doc.code).toBe('ERR_POLICY_DENIED');
    expect(body).not.toContain('bob');
  });

  it('checks scopes before running policies (no resource lookup for a caller without scope)', async () => {
    const service = running.app.get(OrdersService);
    const before = service.lookups;
    const res = await get('/orders/1', aliceNoScope);
    expect(res.status).toBe(403);
    expect((await problem(res)).doc.code).toBe('ERR_SCOPE_MISSING');
    expect(service.lookups).toBe(before);
  });

  it('compares a claim with a route param (ownership and claim match)', async () => {
    expect((await get('/users/alice/profile', alice)).status).toBe(200);
    const other = await get('/users/bob/profile', alice);
    expect(other.status).toBe(404);
    expect((await problem(other)).doc.code).toBe('ERR_NOT_FOUND');
    expect((await get('/tenants/t-1/invoices', alice)).status).toBe(200);
    const foreign = await get('/tenants/t-2/invoices', alice);
    expect(foreign.status).toBe(403);
    expect((await problem(foreign)).doc.code).toBe('ERR_POLICY_DENIED');
  });
});
