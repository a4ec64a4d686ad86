import { Controller, Get, Injectable, Module, Post, Version, VersioningType, type DynamicModule, type Type } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';
import { describe, expect, it } from 'vitest';
import {
  Authenticated,
  configureBastion,
  BastionModule,
  Boundary,
  Public,
  RequireAnyScope,
  RequireScopes,
  Roles,
  RouteSecurityError,
  RouteSecurityMap,
  SecurityEvents,
  UsePolicy,
  type BastionOptions,
  type Policy,
  type SecurityEvent,
} from '../../src/index.js';
import { ServiceKeyAuthenticator } from '../support/service-key.authenticator.js';
import { ADAPTERS, bootError, startApp } from '../support/app.js';

@Controller('things')
class ThingsController {
  @Get('ok')
  @Authenticated()
  ok() {
    return {};
  }

  @Get('undecided')
  undecided() {
    return {};
  }

  @Post(':id/also')
  alsoUndecided() {
    return {};
  }
}

@Injectable()
class NotRegisteredPolicy implements Policy {
  evaluate() {
    return true;
  }
}

@Controller('misuse')
class MisuseController {
  @Get('empty')
  @RequireScopes(...([] as unknown as [string]))
  empty() {
    return {};
  }

  @Get('boundary')
  @Boundary('nowhere')
  @Authenticated()
  unknownBoundary() {
    return {};
  }

  @Get('policy')
  @UsePolicy(NotRegisteredPolicy)
  policy() {
    return {};
  }

  @Get('both')
  @Public()
  @RequireScopes('a')
  publicAndScoped() {
    return {};
  }
}

@Injectable()
class AllowPolicy implements Policy {
  evaluate() {
    return true;
  }
}

@Controller('orders')
@RequireScopes('orders:read')
@Throttle({ default: { limit: 5, ttl: 60_000 } })
class OrdersController {
  @Get(':id')
  @UsePolicy(AllowPolicy)
  findOne() {
    return {};
  }

  @Post()
  @Version('2')
  @RequireAnyScope('orders:write', 'orders:admin')
  @Roles('clerk')
  create() {
    return {};
  }

  @Get('health/check')
  @Public()
  health() {
    return {};
  }
}

@Controller('ops')
@Boundary('internal')
class OpsController {
  @Post('reindex')
  @Authenticated()
  reindex() {
    return {};
  }
}

function moduleOf(controllers: Type<unknown>[], options: BastionOptions = {}, providers: Type<unknown>[] = []): Type<unknown> {
  @Module({ imports: [BastionModule.forRoot({ realm: 'orders', ...options }) as DynamicModule], controllers, providers })
  class AppModule {}
  return AppModule;
}

describe.each(ADAPTERS)('authorization: strict mode and route security map (%s)', (adapter) => {
  it('stops boot on routes without an access decision, naming every one with method and full path', async () => {
    const error = await bootError(moduleOf([ThingsController]), adapter, (app) => app.setGlobalPrefix('api'));
    expect(error).toBeInstanceOf(RouteSecurityError);
    expect(error.message).toContain('ThingsController.undecided (GET /api/things/undecided): no access decision');
    expect(error.message).toContain('ThingsController.alsoUndecided (POST /api/things/:id/also): no access decision');
    expect(error.message).not.toContain('ThingsController.ok');
    expect((error as RouteSecurityError).problems).toHaveLength(2);
  });

  it('with strict: false, boots, warns naming the route, and still denies anonymous callers', async () => {
    const events: SecurityEvent[] = [];
    const running = await startApp(moduleOf([ThingsController], { strict: false }), adapter, (app) => {
      app.get(SecurityEvents).subscribe((e) => events.push(e));
      configureBastion(app);
    });
    try {
      const warning = events.find((e) => e.type === 'configuration.warning' && e.reason === 'ERR_ROUTE_UNDECIDED');
      expect(warning?.details?.routes).toEqual(['ThingsController.undecided (GET /things/undecided)', 'ThingsController.alsoUndecided (POST /things/:id/also)']);
      expect((await fetch(`${running.url}/things/undecided`)).status).toBe(401);
      const row = running.app.get(RouteSecurityMap).routes().find((r) => r.handler === 'undecided');
      expect(row?.undecided).toBe(true);
    } finally {
      await running.close();
    }
  });

  it('stops boot on misuse, even with strict: false: empty list, unknown boundary, non-provider policy, public with requirements', async () => {
    const error = await bootError(moduleOf([MisuseController], { strict: false }), adapter);
    expect(error.message).toContain('MisuseController.empty (GET /misuse/empty): @RequireScopes() needs at least one value');
    expect(error.message).toContain('MisuseController.unknownBoundary (GET /misuse/boundary): unknown boundary "nowhere"');
    expect(error.message).toContain('MisuseController.policy (GET /misuse/policy): policy NotRegisteredPolicy is not a provider');
    expect(error.message).toContain('MisuseController.publicAndScoped (GET /misuse/both): @Public() cannot be combined');
  });

  it('exposes the route security map with paths, versions, boundary, requirements and throttle', async () => {
    const running = await startApp(
      moduleOf([OrdersController, OpsController], { authenticators: [new ServiceKeyAuthenticator()], boundaries: { internal: { accept: ['service-key'] } } }, [AllowPolicy]),
      adapter,
      (app) => {
        configureBastion(app);
        app.setGlobalPrefix('api');
        app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
      },
    );
    try {
      const routes = running.app.get(RouteSecurityMap).routes();
      const byHandler = Object.fromEntries(routes.map((r) => [r.handler, r]));
      expect(byHandler.findOne).toMatchObject({
        controller: 'OrdersController',
        method: 'GET',
        path: '/api/v1/orders/:id',
        boundary: undefined,
        accepts: 'any',
        public: false,
        scopes: ['orders:read'],
        policies: ['AllowPolicy'],
        undecided: false,
        throttle: { default: { limit: 5, ttl: 60_000 } },
      });
      expect(byHandler.create).toMatchObject({ method: 'POST', path: '/api/v2/orders', scopes: ['orders:read'], anyScopes: [['orders:write', 'orders:admin']], roles: [['clerk']] });
      expect(byHandler.health).toMatchObject({ public: true, path: '/api/v1/orders/health/check' });
      expect(byHandler.reindex).toMatchObject({ path: '/api/v1/ops/reindex', boundary: 'internal', accepts: ['service-key'], authenticated: true });
      // The map describes what is served: the path it names answers (401, not 404).
      expect((await fetch(`${running.url}/api/v1/orders/7`)).status).toBe(401);
      expect((await fetch(`${running.url}/api/v1/orders/health/check`)).status).toBe(200);
    } finally {
      await running.close();
    }
  });
});
