import { Controller, Get, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BastionModule, configureBastion, RequireScopes } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { rawRequest } from '../transport/raw-request.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';

/** Red team: origins crafted to slip past an allow-list, and preflights on a protected route. */
@Controller('orders')
class OrdersController {
  @Get()
  @RequireScopes('orders:read')
  list() {
    return { secret: 'ORDERS' };
  }
}

const ALLOWED = ['https://app.example.com', 'https://*.example.org'];

describe.each(ADAPTERS)('red team: CORS origin tricks (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  let reader: string;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    @Module({
      imports: [BastionModule.forRoot({ jwt: issuer.options(), bruteForce: { enabled: false }, cors: { origins: ALLOWED, credentials: true, maxAge: 600 } })],
      controllers: [OrdersController],
    })
    class AppModule {}
    running = await startApp(AppModule, adapter, (app) => configureBastion(app));
    reader = await issuer.sign({ sub: 'alice', scope: 'orders:read' });
  });
  afterAll(async () => {
    await running?.close();
    await issuer?.close();
  });

  const preflight = (origin: string) =>
    rawRequest(`${running.url}/orders`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
  const read = (origin: string, token?: string) =>
    rawRequest(`${running.url}/orders`, { method: 'GET', headers: { origin, ...(token ? { authorization: `Bearer ${token}` } : {}) } });

  it.each([
    'https://app.example.com.evil.com',
    'https://evilapp.example.com',
    'https://app.example.co',
    'http://app.example.com',
    'https://app.example.com:8443',
    'https://app.example.com@evil.com',
    'https://example.org',
    'https://a.b.example.org',
    'https://x.example.org.evil.com',
    'https://x.example.org:444',
    'https://evil.com/.example.org',
    'https://x_y.example.org',
    'null',
    'https://app.example.com, https://evil.com',
  ])('%s gets no CORS header on a preflight or a read, even with a valid token', async (origin) => {
    for (const res of [await preflight(origin), await read(origin, reader)]) {
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
      expect(res.headers['access-control-allow-headers']).toBeUndefined();
    }
  });

  it.each(['https://app.example.com', 'https://tenant-1.example.org'])('%s: the preflight on the protected route needs no token; the read still does', async (origin) => {
    const pre = await preflight(origin);
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(origin);
    expect(pre.headers['access-control-allow-credentials']).toBe('true');
    expect(pre.body).toBe('');
    const anonymous = await read(origin);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).not.toContain('ORDERS');
    // The SPA can read the 401 (and its request id) to send its user to log in.
    expect(anonymous.headers['access-control-allow-origin']).toBe(origin);
    expect(String(anonymous.headers.vary)).toMatch(/origin/i);
    const ok = await read(origin, reader);
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(origin);
  });

  it('never answers with a wildcard while credentials are allowed', async () => {
    const res = await read('https://app.example.com', reader);
    expect(res.headers['access-control-allow-origin']).not.toBe('*');
  });
});
