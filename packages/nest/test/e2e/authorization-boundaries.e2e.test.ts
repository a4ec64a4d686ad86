import { Controller, Get, Module, Post, type DynamicModule } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticated, BastionModule, Boundary, RequireScopes, SecurityEvents, type SecurityEvent } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';
import { ServiceKeyAuthenticator } from '../support/service-key.authenticator.js';

@Controller('orders')
class OrdersController {
  @Get()
  @RequireScopes('orders:read')
  list() {
    return { orders: [] };
  }
}

@Controller('internal')
@Boundary('internal')
class InternalController {
  @Post('reindex')
  @Authenticated()
  reindex() {
    return { reindexed: true };
  }
}

@Controller('partners')
class PartnersController {
  @Get('feed')
  @Boundary('partners')
  @Authenticated()
  feed() {
    return { feed: 'ok' };
  }
}

function appModule(issuer: TestIssuer, serviceKeys: ServiceKeyAuthenticator): new () => unknown {
  @Module({
    imports: [
      BastionModule.forRoot({
        realm: 'orders',
        jwt: issuer.options(),
        authenticators: [serviceKeys],
        boundaries: {
          public: { accept: ['jwt'] },
          internal: { accept: ['service-key'] },
          partners: { accept: ['jwt'], clients: ['partner-a'], requireScopes: ['partner:feed'] },
        },
        defaultBoundary: 'public',
      }) as DynamicModule,
    ],
    controllers: [OrdersController, InternalController, PartnersController],
  })
  class AppModule {}
  return AppModule;
}

describe.each(ADAPTERS)('authorization: trust boundaries (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  const events: SecurityEvent[] = [];
  const serviceKeys = new ServiceKeyAuthenticator();
  const workerKey = serviceKeys.issue('reindex-worker', ['orders:read']);

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    running = await startApp(appModule(issuer, serviceKeys), adapter);
    running.app.get(SecurityEvents).subscribe((e) => events.push(e));
  });
  afterAll(async () => {
    await running?.close();
    await issuer?.close();
  });

  const call = (method: string, path: string, token?: string) =>
    fetch(`${running.url}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const callWithKey = (method: string, path: string, key: string) => fetch(`${running.url}${path}`, { method, headers: { 'x-service-key': key } });

  it("lets the internal boundary's own credential in, and keeps it out of the public boundary", async () => {
    expect((await callWithKey('POST', '/internal/reindex', workerKey)).status).toBe(201);
    events.length = 0;
    const outside = await callWithKey('GET', '/orders', workerKey);
    expect(outside.status).toBe(403);
    expect(JSON.parse(await outside.text()).code).toBe('ERR_BOUNDARY_DENIED');
    expect(events.find((e) => e.type === 'authorization.denied')).toMatchObject({ reason: 'ERR_BOUNDARY_DENIED', details: { boundary: 'public', credential: 'service-key' } });
    const forged = await callWithKey('POST', '/internal/reindex', `${workerKey.slice(0, -2)}xx`);
    expect(forged.status).toBe(401);
    expect(JSON.parse(await forged.text()).code).toBe('ERR_INVALID_TOKEN');
  });

  it('refuses a valid user JWT on an internal route with 403 ERR_BOUNDARY_DENIED', async () => {
    // A token with every scope and role there is: still the wrong kind of credential for this boundary.
    const token = await issuer.sign({ sub: 'alice', scope: 'orders:read admin', roles: ['admin'] });
    expect((await call('GET', '/orders', token)).status).toBe(200);
    events.length = 0;
    const res = await call('POST', '/internal/reindex', token);
    const body = await res.text();
    expect(res.status).toBe(403);
    expect(problemInvariants(res, body)).toEqual([]);
    expect(JSON.parse(body).code).toBe('ERR_BOUNDARY_DENIED');
    expect(body).not.toContain('reindexed');
    expect(body).not.toContain('internal');
    // No Bearer challenge: bearer tokens are not accepted here at all.
    expect(res.headers.get('www-authenticate')).toBeNull();
    const denied = events.find((e) => e.type === 'authorization.denied');
    expect(denied).toMatchObject({ reason: 'ERR_BOUNDARY_DENIED', details: { boundary: 'internal', credential: 'jwt' } });
    // Refused before verification: no authentication.succeeded for this request.
    expect(events.some((e) => e.type === 'authentication.succeeded')).toBe(false);
  });

  it('refuses an invalid JWT there the same way, and asks for credentials when none is sent', async () => {
    const forged = `${(await issuer.sign({ sub: 'alice' })).slice(0, -4)}AAAA`;
    expect((await call('POST', '/internal/reindex', forged)).status).toBe(403);
    const anonymous = await call('POST', '/internal/reindex');
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(await anonymous.text()).code).toBe('ERR_UNAUTHENTICATED');
  });

  it("enforces a boundary's client list and extra scopes", async () => {
    const partner = await issuer.sign({ sub: 'svc', client_id: 'partner-a', scope: 'partner:feed' });
    const otherClient = await issuer.sign({ sub: 'svc', client_id: 'partner-b', scope: 'partner:feed' });
    const noScope = await issuer.sign({ sub: 'svc', client_id: 'partner-a' });
    expect((await call('GET', '/partners/feed', partner)).status).toBe(200);
    events.length = 0;
    for (const token of [otherClient, noScope]) {
      const res = await call('GET', '/partners/feed', token);
      expect(res.status).toBe(403);
      expect(JSON.parse(await res.text()).code).toBe('ERR_BOUNDARY_DENIED');
    }
    expect(events.filter((e) => e.type === 'authorization.denied').map((e) => e.details?.detail)).toEqual([
      'client not allowed',
      'boundary scopes missing: partner:feed',
    ]);
  });
});
