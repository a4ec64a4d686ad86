import { Controller, Get, Injectable, Module, Param } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticated, BastionModule, Boundary, Public, RequireScopes, Roles, UsePolicy, type Policy, type PolicyContext } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';

/**
 * Red team: authorization decisions that depend on which controller serves a handler. A generic base
 * controller (a CRUD base class) gives several controllers the very same handler function; each
 * controller's own class-level decision must apply to its routes, whatever order Nest discovers them in.
 */
abstract class CrudController {
  @Get()
  list() {
    return { secret: `list of ${this.constructor.name}` };
  }

  @Get(':id')
  one(@Param('id') id: string) {
    return { secret: `${this.constructor.name} ${id}` };
  }
}

@Controller('catalog')
@Public()
class CatalogController extends CrudController {}

@Controller('salaries')
@RequireScopes('salaries:read')
class SalariesController extends CrudController {}

@Controller('audit-log')
@Roles('auditor')
class AuditLogController extends CrudController {}

@Controller('profile')
@Authenticated()
class ProfileController extends CrudController {}

@Injectable()
class NeverPolicy implements Policy {
  evaluate(_ctx: PolicyContext): boolean {
    return false;
  }
}

@Controller('vault')
@UsePolicy(NeverPolicy)
class VaultController extends CrudController {}

@Controller('internal-reports')
@Boundary('internal')
@Authenticated()
class InternalReportsController extends CrudController {}

// Registration orders: the last controller registered must not decide for the others (both orders).
const ORDERS = {
  'public last': [SalariesController, AuditLogController, ProfileController, VaultController, InternalReportsController, CatalogController],
  'public first': [CatalogController, InternalReportsController, VaultController, ProfileController, AuditLogController, SalariesController],
};

describe.each(ADAPTERS)('red team: one handler shared by several controllers (%s)', (adapter) => {
  describe.each(Object.entries(ORDERS))('%s', (_order, controllers) => {
    let issuer: TestIssuer;
    let running: RunningApp;
    let plain: string;
    let worker: string;

    beforeAll(async () => {
      issuer = await TestIssuer.start();
      @Module({
        imports: [
          BastionModule.forRoot({
            realm: 'api',
            jwt: issuer.options(),
            bruteForce: { enabled: false },
            boundaries: { public: { accept: ['jwt'] }, internal: { accept: ['jwt'], clients: ['reports-worker'] } },
            defaultBoundary: 'public',
          }),
        ],
        controllers,
        providers: [NeverPolicy],
      })
      class AppModule {}
      running = await startApp(AppModule, adapter);
      plain = await issuer.sign({ sub: 'mallory', scope: 'profile' });
      worker = await issuer.sign({ sub: 'reports-worker', client_id: 'reports-worker', scope: 'profile' });
    });
    afterAll(async () => {
      await running?.close();
      await issuer?.close();
    });

    const get = (path: string, token?: string) => fetch(`${running.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

    async function expectDenied(path: string, token: string | undefined, status: number, code: string) {
      const res = await get(path, token);
      const body = await res.text();
      expect({ path, status: res.status, code: (JSON.parse(body) as { code?: string }).code }).toEqual({ path, status, code });
      expect(body).not.toContain('secret');
      expect(problemInvariants(res, body)).toEqual([]);
    }

    it('the public controller stays public for anonymous callers', async () => {
      for (const path of ['/catalog', '/catalog/7']) {
        const res = await get(path);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ secret: expect.stringContaining('CatalogController') });
      }
    });

    it("a scoped controller keeps its scope although the handler is the public controller's", async () => {
      for (const path of ['/salaries', '/salaries/7']) {
        await expectDenied(path, undefined, 401, 'ERR_UNAUTHENTICATED');
        await expectDenied(path, plain, 403, 'ERR_SCOPE_MISSING');
      }
      const ok = await get('/salaries/7', await issuer.sign({ sub: 'hr', scope: 'salaries:read' }));
      expect(ok.status).toBe(200);
    });

    it('roles, policies and boundaries of each controller apply to the shared handler', async () => {
      await expectDenied('/audit-log', plain, 403, 'ERR_ROLE_MISSING');
      await expectDenied('/vault/1', plain, 403, 'ERR_POLICY_DENIED');
      await expectDenied('/internal-reports', plain, 403, 'ERR_BOUNDARY_DENIED');
      expect((await get('/internal-reports', worker)).status).toBe(200);
      // A user token whose subject merely equals the client's name is not that client.
      const impostor = await issuer.sign({ sub: 'reports-worker', scope: 'profile' });
      await expectDenied('/internal-reports', impostor, 403, 'ERR_BOUNDARY_DENIED');
      await expectDenied('/internal-reports', await issuer.sign({ sub: 'reports-worker', azp: 'web-app' }), 403, 'ERR_BOUNDARY_DENIED');
      expect((await get('/internal-reports', await issuer.sign({ sub: 'svc-account-7', azp: 'reports-worker' }))).status).toBe(200);
      expect((await get('/profile', plain)).status).toBe(200);
      await expectDenied('/profile', undefined, 401, 'ERR_UNAUTHENTICATED');
    });
  });
});
