import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Authenticated, BastionModule, Boundary, RequireScopes, type SecurityEvent } from '../../src/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { startWithIssuer, type IssuerApp } from '../support/issuer-app.js';
import { capturedLines } from '../support/log-capture.js';
import { ServiceKeyAuthenticator } from '../support/service-key.authenticator.js';
import { bearer, getFrom } from '../throttling/local-client.js';

@Controller()
class Routes {
  @Get('orders')
  @RequireScopes('orders:write')
  orders() {
    return { ok: true };
  }

  @Get('internal')
  @Boundary('internal')
  @Authenticated()
  internal() {
    return { ok: true };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.each(ADAPTERS)('one request context per request (%s)', (adapter) => {
  let app: IssuerApp;
  let issuer: IssuerApp['issuer'];
  let events: SecurityEvent[];
  const get = (path: string, options: Parameters<typeof getFrom>[1] = {}) => getFrom(`${app.running.url}${path}`, options);

  beforeAll(async () => {
    app = await startWithIssuer(
      adapter,
      (testIssuer) => ({
        jwt: testIssuer.options(),
        // 127.0.0.1 is the proxy; clients bound to 127.0.0.2+ are direct, untrusted peers.
        trustedProxies: ['127.0.0.1'],
        authenticators: [new ServiceKeyAuthenticator()],
        boundaries: { internal: { accept: ['service-key'] } },
        bruteForce: { enabled: false },
        https: { enforce: false },
      }),
      [Routes],
    );
    ({ issuer, events } = app);
  });
  afterAll(() => app?.close());
  beforeEach(() => {
    events.length = 0;
  });

  // Issue 11 item 8: authorization.denied recorded the socket peer (the proxy), not the client.
  it('records the client resolved through the trusted proxy in authorization.denied, like every other event', async () => {
    const token = await issuer.sign({ sub: 'alice', scope: 'orders:read' });
    const res = await get('/orders', { headers: { ...bearer(token), 'x-forwarded-for': '203.0.113.7' } });
    expect(res.status).toBe(403);
    const denied = events.find((e) => e.type === 'authorization.denied');
    const succeeded = events.find((e) => e.type === 'authentication.succeeded');
    expect(denied).toMatchObject({ ip: '203.0.113.7', requestId: res.headers['x-request-id'], method: 'GET', route: '/orders', principal: { subject: 'alice' } });
    expect(succeeded).toMatchObject({ ip: '203.0.113.7', requestId: res.headers['x-request-id'] });
  });

  it('records the resolved client when a credential is refused by the boundary', async () => {
    const token = await issuer.sign({ sub: 'alice' });
    const res = await get('/internal', { headers: { ...bearer(token), forwarded: 'for="[2001:db8::42]:5000";proto=https' } });
    expect(res.status).toBe(403);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'authorization.denied', reason: 'ERR_BOUNDARY_DENIED', ip: '2001:db8::42', requestId: res.headers['x-request-id'] });
  });

  // Issue 11 item 11: a client chose its own request id (log injection, correlation spoofing).
  it("never takes a direct client's X-Request-Id: a fresh id, the client's kept apart in the audit event", async () => {
    const res = await get('/orders', { localAddress: '127.0.0.2', headers: { 'x-request-id': 'client-chosen-id-0001' } });
    expect(res.status).toBe(401);
    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(res.json()).toMatchObject({ requestId: res.headers['x-request-id'] });
    expect(events[0]).toMatchObject({ requestId: res.headers['x-request-id'], clientRequestId: 'client-chosen-id-0001', ip: '127.0.0.2' });
  });

  it("bounds and cleans the client's id before it is recorded", async () => {
    const res = await get('/orders', { localAddress: '127.0.0.3', headers: { 'x-request-id': `${'a'.repeat(100)}\t<script>` } });
    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(events[0]!.clientRequestId).toBe('a'.repeat(64));
  });

  it("takes a trusted proxy's X-Request-Id, once, when it is a safe token", async () => {
    const proxied = await get('/orders', { headers: { 'x-request-id': `edge-${adapter}-7f3a9c21` } });
    expect(proxied.headers['x-request-id']).toBe(`edge-${adapter}-7f3a9c21`);
    expect(events[0]).toMatchObject({ requestId: `edge-${adapter}-7f3a9c21` });
    expect(events[0]!.clientRequestId).toBeUndefined();
    const unsafe = await get('/orders', { headers: { 'x-request-id': 'bad id\tinjected' } });
    expect(unsafe.headers['x-request-id']).toMatch(UUID);
  });

  it('gives every response the id of its one context: 404s and errors before routing included', async () => {
    const missing = await get('/nowhere', { localAddress: '127.0.0.4' });
    expect(missing.status).toBe(404);
    expect(missing.headers['x-request-id']).toMatch(UUID);
    expect(missing.json()).toMatchObject({ requestId: missing.headers['x-request-id'] });
  });
});

@Controller()
class Plain {
  @Get('orders')
  @Authenticated()
  orders() {
    return { ok: true };
  }
}

// Issue 11 item 12: behind a load balancer missing from trustedProxies every client shares its address.
describe.each(ADAPTERS)('forwarding headers from an untrusted peer (%s)', (adapter) => {
  let running: RunningApp;
  beforeAll(async () => {
    @Module({ imports: [BastionModule.forRoot({ trustedProxies: [], https: { enforce: false } }) as DynamicModule], controllers: [Plain] })
    class AppModule {}
    running = await startApp(AppModule, adapter);
  });
  afterAll(() => running?.close());

  it('logs one warning naming the peer and the option, never a header value', async () => {
    const warnings = () => capturedLines().filter((l) => l.text.includes('carried forwarding headers') && l.text.includes(`${adapter}-marker`) === false);
    const before = warnings().length;
    const headers: Record<string, string>[] = [{ 'x-forwarded-for': `198.51.100.9, ${adapter}-marker` }, { forwarded: `for=198.51.100.9;host=${adapter}-marker` }, { 'x-forwarded-proto': 'https' }];
    for (const header of headers) {
      await getFrom(`${running.url}/orders`, { headers: header });
    }
    const logged = warnings().slice(before);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.text).toContain('127.0.0.1');
    expect(logged[0]!.text).toContain('trustedProxies');
    expect(logged[0]!.text).not.toContain('198.51.100.9');
    expect(capturedLines().some((l) => l.text.includes(`${adapter}-marker`))).toBe(false);
  });
});
