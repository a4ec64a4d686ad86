import { Controller, Get, Injectable, Module, type DynamicModule, type Type } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Authenticated,
  BastionModule,
  Boundary,
  Public,
  RequireAnyScope,
  RequireScopes,
  Roles,
  RouteSecurityError,
  RouteSecurityMap,
  UsePolicy,
  configureBastion,
  type BastionOptions,
  type Policy,
  type PolicyContext,
} from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, bootError, startApp, type RunningApp } from '../support/app.js';
import { ServiceKeyAuthenticator } from '../support/service-key.authenticator.js';

@Injectable()
class OnlyAlicePolicy implements Policy {
  evaluate(ctx: PolicyContext) {
    return ctx.principal.subject === 'alice';
  }
}

@Injectable()
class AllowPolicy implements Policy {
  evaluate() {
    return true;
  }
}

// A base controller that states what every admin route needs; subclasses add their own on top.
@RequireScopes('admin')
@Roles('staff')
@RequireAnyScope('tier:gold', 'tier:silver')
@UsePolicy(OnlyAlicePolicy)
abstract class AdminBase {}

@Controller('orders')
@RequireScopes('orders:read')
@Roles('clerk')
@RequireAnyScope('region:eu')
@UsePolicy(AllowPolicy)
class OrdersController extends AdminBase {
  @Get()
  list() {
    return { ok: true };
  }
}

@RequireScopes('level:a')
class LevelA {}
class LevelB extends LevelA {}
@Controller('deep')
@RequireScopes('level:c')
class DeepController extends LevelB {
  @Get()
  get() {
    return { ok: true };
  }
}

@Boundary('internal')
class InternalBase {}
@Controller('ops')
@Authenticated()
class OpsController extends InternalBase {
  @Get()
  run() {
    return { ok: true };
  }
}

// `internal` accepts a custom credential only (a boundary may name only credentials that have an authenticator).
const OPTIONS = (issuer: TestIssuer): BastionOptions => ({ jwt: issuer.options(), authenticators: [new ServiceKeyAuthenticator()], boundaries: { internal: { accept: ['service-key'] } } });

function moduleOf(options: BastionOptions, controllers: Type<unknown>[], providers: Type<unknown>[] = []): Type<unknown> {
  @Module({ imports: [BastionModule.forRoot(options) as DynamicModule], controllers, providers })
  class AppModule {}
  return AppModule;
}

const FULL = { sub: 'alice', scope: 'admin orders:read tier:gold region:eu level:a level:c', roles: ['staff', 'clerk'] };

describe.each(ADAPTERS)('authorization: class decorators along the inheritance chain (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    running = await startApp(moduleOf(OPTIONS(issuer), [OrdersController, DeepController, OpsController], [OnlyAlicePolicy, AllowPolicy]), adapter, configureBastion);
  });
  afterAll(async () => {
    await running?.close();
    await issuer?.close();
  });

  const call = async (path: string, claims: Record<string, unknown>) => {
    const res = await fetch(`${running.url}${path}`, { headers: { authorization: `Bearer ${await issuer.sign(claims)}` } });
    const body = (await res.json()) as { code?: string };
    return { status: res.status, code: body.code };
  };

  it('a subclass adds to its base class requirements: every one applies', async () => {
    expect(await call('/orders', FULL)).toEqual({ status: 200, code: undefined });
    const without = (claims: Partial<typeof FULL>) => call('/orders', { ...FULL, ...claims });
    // The base class's @RequireScopes('admin'), @Roles('staff'), @RequireAnyScope(…) and @UsePolicy(…).
    expect(await without({ scope: 'orders:read tier:gold region:eu' })).toEqual({ status: 403, code: 'ERR_SCOPE_MISSING' });
    expect(await without({ roles: ['clerk'] })).toEqual({ status: 403, code: 'ERR_ROLE_MISSING' });
    expect(await without({ scope: 'admin orders:read region:eu' })).toEqual({ status: 403, code: 'ERR_SCOPE_MISSING' });
    expect(await without({ sub: 'mallory' })).toEqual({ status: 403, code: 'ERR_POLICY_DENIED' });
    // The subclass's own still apply too.
    expect(await without({ scope: 'admin tier:gold region:eu' })).toEqual({ status: 403, code: 'ERR_SCOPE_MISSING' });
    expect(await without({ roles: ['staff'] })).toEqual({ status: 403, code: 'ERR_ROLE_MISSING' });
  });

  it('reaches through classes without decorators, and inherits a boundary', async () => {
    expect((await call('/deep', FULL)).status).toBe(200);
    expect(await call('/deep', { ...FULL, scope: 'level:c' })).toEqual({ status: 403, code: 'ERR_SCOPE_MISSING' });
    expect(await call('/ops', FULL)).toEqual({ status: 403, code: 'ERR_BOUNDARY_DENIED' });
  });

  it('the route map shows the merged decision', () => {
    const rows = running.app.get(RouteSecurityMap).routes();
    expect(rows.find((r) => r.controller === 'OrdersController')).toMatchObject({
      scopes: ['admin', 'orders:read'],
      anyScopes: [['tier:gold', 'tier:silver'], ['region:eu']],
      roles: [['staff'], ['clerk']],
      policies: ['OnlyAlicePolicy', 'AllowPolicy'],
    });
    expect(rows.find((r) => r.controller === 'DeepController')?.scopes).toEqual(['level:a', 'level:c']);
    expect(rows.find((r) => r.controller === 'OpsController')).toMatchObject({ boundary: 'internal', accepts: ['service-key'] });
  });
});

@Public()
class OpenBase {}
@Controller('closed')
@Authenticated()
class ClosedOverOpen extends OpenBase {
  @Get()
  get() {
    return {};
  }
}

@Controller('opened')
@Public()
class OpenedOverAdmin extends AdminBase {
  @Get()
  get() {
    return {};
  }
}

@Boundary('public')
class PublicBoundaryBase {}
@Controller('moved')
@Boundary('internal')
@Authenticated()
class MovedBoundary extends PublicBoundaryBase {
  @Get()
  get() {
    return {};
  }
}

describe.each(ADAPTERS)('authorization: contradictions along the inheritance chain stop boot (%s)', (adapter) => {
  const options: BastionOptions = {
    authenticators: [new ServiceKeyAuthenticator()],
    boundaries: { public: { accept: ['service-key'] }, internal: { accept: ['service-key'] } },
    strict: false,
  };

  it('@Public() on one class and @Authenticated() or requirements on another', async () => {
    const error = await bootError(moduleOf(options, [ClosedOverOpen, OpenedOverAdmin], [OnlyAlicePolicy]), adapter);
    expect(error).toBeInstanceOf(RouteSecurityError);
    expect(error.message).toContain('ClosedOverOpen.get (GET /closed): @Public() on OpenBase conflicts with @Authenticated() on ClosedOverOpen');
    expect(error.message).toContain(
      'OpenedOverAdmin.get (GET /opened): @Public() on OpenedOverAdmin conflicts with @RequireScopes(), @RequireAnyScope(), @Roles(), @UsePolicy() on AdminBase',
    );
    expect((error as RouteSecurityError).problems).toHaveLength(2);
  });

  it('two different boundaries', async () => {
    const error = await bootError(moduleOf(options, [MovedBoundary]), adapter);
    expect(error.message).toContain("MovedBoundary.get (GET /moved): conflicting boundaries along the inheritance chain: @Boundary('public') on PublicBoundaryBase, @Boundary('internal') on MovedBoundary");
  });
});
