import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BastionModule, RequireAnyScope, RequireScopes, Roles, SecurityEvents, type SecurityEvent } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';

@Controller('matrix')
class MatrixController {
  @Get('all')
  @RequireScopes('orders:read', 'orders:write')
  all() {
    return { ok: 'all' };
  }

  @Get('any')
  @RequireAnyScope('orders:read', 'orders:write')
  any() {
    return { ok: 'any' };
  }
}

@Controller('class-method')
@RequireScopes('orders:read')
class ClassMethodController {
  @Get()
  @RequireScopes('orders:write')
  both() {
    return { ok: 'both' };
  }
}

@Controller('admin')
@Roles('staff')
class AdminController {
  @Get()
  @Roles('admin', 'auditor')
  report() {
    return { ok: 'report' };
  }
}

function appModule(issuer: TestIssuer): new () => unknown {
  @Module({
    imports: [BastionModule.forRoot({ realm: 'orders', jwt: issuer.options({ claims: { roleClaims: ['roles', 'realm_access.roles'] } }) }) as DynamicModule],
    controllers: [MatrixController, ClassMethodController, AdminController],
  })
  class AppModule {}
  return AppModule;
}

type Caller = 'none' | 'no scope' | 'one of two' | 'all';
const SCOPES: Record<Exclude<Caller, 'none'>, string> = { 'no scope': 'profile', 'one of two': 'orders:read', all: 'orders:read orders:write' };

// The designed outcome of every (caller × route) pair.
const MATRIX: [route: string, expected: Record<Caller, number>][] = [
  ['/matrix/all', { none: 401, 'no scope': 403, 'one of two': 403, all: 200 }],
  ['/matrix/any', { none: 401, 'no scope': 403, 'one of two': 200, all: 200 }],
  ['/class-method', { none: 401, 'no scope': 403, 'one of two': 403, all: 200 }],
];
const REQUIRED: Record<string, string> = {
  '/matrix/all': 'orders:read orders:write',
  '/matrix/any': 'orders:read orders:write',
  '/class-method': 'orders:read orders:write',
};

describe.each(ADAPTERS)('authorization: scopes and roles (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  const events: SecurityEvent[] = [];
  const tokens: Partial<Record<Caller, string>> = {};

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    running = await startApp(appModule(issuer), adapter);
    running.app.get(SecurityEvents).subscribe((e) => events.push(e));
    for (const [caller, scope] of Object.entries(SCOPES)) tokens[caller as Caller] = await issuer.sign({ sub: 'alice', scope });
  });
  afterAll(async () => {
    await running?.close();
    await issuer?.close();
  });

  const get = (path: string, token?: string) => fetch(`${running.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  describe.each(MATRIX)('%s', (route, expected) => {
    it.each(Object.keys(expected) as Caller[])('caller with %s', async (caller) => {
      const res = await get(route, tokens[caller]);
      const body = await res.text();
      expect(res.status).toBe(expected[caller]);
      if (res.status === 200) {
        expect(JSON.parse(body).ok).toBeTruthy();
        return;
      }
      expect(problemInvariants(res, body)).toEqual([]);
      expect(body).not.toContain('"ok"');
      if (res.status === 401) {
        expect(JSON.parse(body).code).toBe('ERR_UNAUTHENTICATED');
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="orders"');
      } else {
        expect(JSON.parse(body)).toMatchObject({ status: 403, code: 'ERR_SCOPE_MISSING', title: 'Forbidden' });
        // RFC 6750 §3.1: the challenge names the scope necessary to access the resource.
        expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="orders", error="insufficient_scope", scope="${REQUIRED[route]}"`);
        expect(body).not.toContain('orders:');
      }
    });
  });

  it('emits authorization.denied with the precise reason and missing scopes', async () => {
    events.length = 0;
    const res = await get('/class-method', tokens['one of two']);
    expect(res.status).toBe(403);
    const denied = events.filter((e) => e.type === 'authorization.denied');
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({
      outcome: 'denied',
      reason: 'ERR_SCOPE_MISSING',
      requestId: res.headers.get('x-request-id'),
      route: '/class-method',
      principal: { subject: 'alice', credential: 'jwt' },
      details: { handler: 'ClassMethodController.both', detail: 'scopes missing: orders:write' },
    });
    expect(JSON.stringify(denied[0])).not.toContain(tokens['one of two']!);
  });

  it('needs one role of each @Roles on class and method (roles from a nested claim too)', async () => {
    const staffAdmin = await issuer.sign({ sub: 'a', roles: ['staff'], realm_access: { roles: ['admin'] } });
    const staffOnly = await issuer.sign({ sub: 'b', roles: ['staff'] });
    const adminOnly = await issuer.sign({ sub: 'c', roles: ['admin'] });
    expect((await get('/admin', staffAdmin)).status).toBe(200);
    events.length = 0;
    for (const token of [staffOnly, adminOnly]) {
      const res = await get('/admin', token);
      const body = await res.text();
      expect(res.status).toBe(403);
      expect(problemInvariants(res, body)).toEqual([]);
      expect(JSON.parse(body).code).toBe('ERR_ROLE_MISSING');
      // Not a scope problem: no insufficient_scope challenge.
      expect(res.headers.get('www-authenticate')).toBeNull();
    }
    expect(events.filter((e) => e.type === 'authorization.denied').map((e) => e.reason)).toEqual(['ERR_ROLE_MISSING', 'ERR_ROLE_MISSING']);
  });
});
