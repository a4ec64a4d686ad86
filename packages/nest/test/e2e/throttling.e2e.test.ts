import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { SkipThrottle, Throttle } from '@nestjs/throttler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticated, BastionModule, Boundary, Public, SecurityEvents, type BastionStore, type SecurityEvent, type SecurityStateStore } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';
import { bearer, getFrom } from '../throttling/local-client.js';

@Controller()
class ApiController {
  @Get('data')
  @Authenticated()
  data() {
    return { ok: true };
  }

  @Get('open')
  @Public()
  open() {
    return { ok: true };
  }

  @Get('partner')
  @Boundary('partner')
  @Authenticated()
  partner() {
    return { ok: true };
  }

  @Get('login')
  @Public()
  @Throttle({ default: { limit: 1, ttl: 60_000 } })
  login() {
    return { ok: true };
  }

  @Get('health')
  @Public()
  @SkipThrottle({ default: true })
  health() {
    return { ok: true };
  }
}

function appModule(issuer: TestIssuer): new () => unknown {
  @Module({
    imports: [
      BastionModule.forRoot({
        jwt: issuer.options(),
        // Only 127.0.0.1 is a trusted proxy: clients bound to 127.0.0.2+ are ordinary, untrusted peers.
        trustedProxies: ['127.0.0.1'],
        https: { enforce: false },
        throttle: {
          principal: { limit: 5, ttl: 60_000 },
          anonymous: { limit: 3, ttl: 60_000 },
          scopes: { internal: { limit: 20, ttl: 60_000 } },
          boundaries: { partner: { limit: 2, ttl: 60_000 } },
        },
        boundaries: { partner: { accept: ['jwt'] } },
      }) as DynamicModule,
    ],
    controllers: [ApiController],
  })
  class AppModule {}
  return AppModule;
}

describe.each(ADAPTERS)('throttling (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  const events: SecurityEvent[] = [];
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    running = await startApp(appModule(issuer), adapter);
    running.app.get(SecurityEvents).subscribe((e) => events.push(e));
  });
  afterAll(async () => {
    await running.close();
    await issuer.close();
  });

  const get = (path: string, options: Parameters<typeof getFrom>[1] = {}) => getFrom(`${running.url}${path}`, options);

  // Issue 11 item 3: the budget of a user token is its subject's, not its app's (one user of an app
  // cannot exhaust the budget of every other user of it).
  it('gives two users of one client_id separate budgets', async () => {
    const user1 = await issuer.sign({ sub: 'user-1', client_id: 'app-a' });
    const user1Again = await issuer.sign({ sub: 'user-1', client_id: 'app-a' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await get('/data', { headers: bearer(i % 2 ? user1 : user1Again) })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const user2 = await issuer.sign({ sub: 'user-2', client_id: 'app-a' });
    expect((await get('/data', { headers: bearer(user2) })).status).toBe(200);
  });

  it("counts client-credentials tokens (no subject of their own) against the client's budget", async () => {
    const statuses: number[] = [];
    // Each request with a fresh token of the same client: one budget between them.
    for (let i = 0; i < 6; i++) statuses.push((await get('/data', { headers: bearer(await issuer.sign({ sub: undefined, client_id: 'app-cc' })) })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await get('/data', { headers: bearer(await issuer.sign({ sub: undefined, client_id: 'app-other' })) })).status).toBe(200);
  });

  it('answers 429 problem+json ERR_RATE_LIMITED with Retry-After and RateLimit headers, and an event', async () => {
    const token = await issuer.sign({ sub: 'solo' });
    const first = await get('/data', { headers: bearer(token) });
    expect(first.headers['ratelimit-policy']).toBe('"default";q=5;w=60');
    expect(first.headers.ratelimit).toMatch(/^"default";r=4;t=(59|60)$/);
    expect(Object.keys(first.headers).filter((h) => h.startsWith('x-ratelimit'))).toEqual([]);
    for (let i = 0; i < 4; i++) await get('/data', { headers: bearer(token) });
    const res = await get('/data', { headers: bearer(token) });
    expect(res.status).toBe(429);
    expect(problemInvariants(res.asResponse(), res.body)).toEqual([]);
    expect(res.json()).toMatchObject({ status: 429, code: 'ERR_RATE_LIMITED', title: 'Too Many Requests' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(res.headers.ratelimit).toMatch(/^"default";r=0;t=\d+$/);
    expect(res.body).not.toContain('solo');
    const event = events.find((e) => e.type === 'request.throttled' && e.requestId === res.headers['x-request-id']);
    expect(event).toMatchObject({ outcome: 'denied', reason: 'ERR_RATE_LIMITED', principal: { subject: 'solo' } });
  });

  it('gives principals holding a scope with a budget that budget', async () => {
    const token = await issuer.sign({ sub: 'svc', scope: 'internal' });
    const res = await get('/data', { headers: bearer(token) });
    expect(res.headers['ratelimit-policy']).toBe('"default";q=20;w=60');
    for (let i = 0; i < 10; i++) expect((await get('/data', { headers: bearer(token) })).status).toBe(200);
  });

  it('keys anonymous callers by peer IP and ignores X-Forwarded-For from an untrusted peer', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await get('/open', { localAddress: '127.0.0.2', headers: { 'x-forwarded-for': `198.51.100.${i}` } })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    // A different peer has its own budget.
    expect((await get('/open', { localAddress: '127.0.0.3' })).status).toBe(200);
  });

  it('counts anonymous calls to protected routes too: a flood of 401s is throttled per IP', async () => {
    const from = { localAddress: '127.0.0.5' };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await get('/data', from)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // A credential is counted per principal after verification, not against the exhausted IP budget.
    const token = await issuer.sign({ sub: 'from-busy-ip' });
    expect((await get('/data', { ...from, headers: bearer(token) })).status).toBe(200);
  });

  it('believes X-Forwarded-For from the trusted proxy (right-most untrusted hop)', async () => {
    const from = (hops: string) => get('/open', { localAddress: '127.0.0.1', headers: { 'x-forwarded-for': hops } });
    for (let i = 0; i < 3; i++) expect((await from(`6.6.6.${i}, 203.0.113.7`)).status).toBe(200);
    // Spoofed left-hand entries do not help: the right-most untrusted hop is still 203.0.113.7.
    expect((await from('6.6.6.99, 203.0.113.7')).status).toBe(429);
    expect((await from('203.0.113.8')).status).toBe(200);
  });

  it('applies a boundary budget to the routes of that boundary, counted apart from the general budget', async () => {
    const token = await issuer.sign({ sub: 'partner-user' });
    const first = await get('/partner', { headers: bearer(token) });
    expect(first.status).toBe(200);
    expect(first.headers['ratelimit-policy']).toBe('"default";q=2;w=60');
    expect((await get('/partner', { headers: bearer(token) })).status).toBe(200);
    expect((await get('/partner', { headers: bearer(token) })).status).toBe(429);
    const general = await get('/data', { headers: bearer(token) });
    expect(general.status).toBe(200);
    expect(general.headers.ratelimit).toMatch(/^"default";r=4;/);
  });

  it('keeps @Throttle() route limits separate and honours @SkipThrottle()', async () => {
    const from = { localAddress: '127.0.0.4' };
    expect((await get('/login', from)).status).toBe(200);
    expect((await get('/login', from)).status).toBe(429);
    // The login limit did not use up the general anonymous budget.
    expect((await get('/open', from)).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await get('/health', from)).status).toBe(200);
  });
});

const down = () => Promise.reject(new Error('store unavailable'));
/** A store whose backing service is down: every call rejects, as the port's contract requires. */
function unavailableStore(): BastionStore {
  return { increment: down, hitSliding: down, get: down, set: down, setIfAbsent: down, delete: down };
}
/** The same for security state (the block check reads it). */
function unavailableSecurityStore(): SecurityStateStore {
  return { get: down, put: down, putIfAbsent: down, delete: down };
}

@Controller()
class OpenController {
  @Get('open')
  @Public()
  open() {
    return { ok: true };
  }
}

function failingModule(failMode: 'open' | 'closed'): new () => unknown {
  @Module({
    imports: [BastionModule.forRoot({ store: { type: 'custom', store: unavailableStore(), securityStore: unavailableSecurityStore() }, throttle: { failMode } }) as DynamicModule],
    controllers: [OpenController],
  })
  class AppModule {}
  return AppModule;
}

describe.each(ADAPTERS)('throttling with the store down (%s)', (adapter) => {
  it('fails open: requests pass, without RateLimit headers', async () => {
    const running = await startApp(failingModule('open'), adapter);
    try {
      const res = await fetch(`${running.url}/open`);
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit')).toBeNull();
    } finally {
      await running.close();
    }
  });

  it('fails closed: 503 problem+json that names no internals', async () => {
    const running = await startApp(failingModule('closed'), adapter);
    try {
      const res = await fetch(`${running.url}/open`);
      const body = await res.text();
      expect(res.status).toBe(503);
      expect(problemInvariants(res, body)).toEqual([]);
      expect(JSON.parse(body)).toMatchObject({ code: 'ERR_SERVICE_UNAVAILABLE' });
      expect(body).not.toContain('store unavailable');
    } finally {
      await running.close();
    }
  });
});
