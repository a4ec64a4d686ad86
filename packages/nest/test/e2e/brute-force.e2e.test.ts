import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Authenticated, BastionModule, Public, SecurityEvents, type SecurityEvent } from '../../src/index.js';
import { BruteForceService } from '../../src/throttling/brute-force.service.js';
import { formatBlock } from '../../src/throttling/brute-force.policy.js';
import { BASTION_SECURITY_STATE, type SecurityStateStore } from '../../src/stores/security-state.interface.js';
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
}

const MAX_FAILURES = 5;

function appModule(issuer: TestIssuer): new () => unknown {
  @Module({
    imports: [
      BastionModule.forRoot({
        jwt: issuer.options(),
        trustedProxies: ['127.0.0.1'],
        https: { enforce: false },
        bruteForce: { maxFailures: MAX_FAILURES, windowMs: 300_000, blockMs: 60_000, maxBlockMs: 600_000, identityAlertThreshold: 4 },
      }) as DynamicModule,
    ],
    controllers: [ApiController],
  })
  class AppModule {}
  return AppModule;
}

/** A token with a broken signature: authentication fails after parsing, with the claimed `sub` readable. */
async function forged(issuer: TestIssuer, sub: string): Promise<string> {
  const token = await issuer.sign({ sub });
  return `${token.slice(0, -6)}${token.slice(-6).startsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA'}`;
}

describe.each(ADAPTERS)('brute-force protection (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  let bruteForce: BruteForceService;
  const events: SecurityEvent[] = [];
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    running = await startApp(appModule(issuer), adapter);
    running.app.get(SecurityEvents).subscribe((e) => events.push(e));
    bruteForce = running.app.get(BruteForceService);
  });
  afterAll(async () => {
    await running.close();
    await issuer.close();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const get = (path: string, localAddress: string, token?: string) =>
    getFrom(`${running.url}${path}`, { localAddress, headers: token ? bearer(token) : {} });

  async function failFrom(localAddress: string, times: number, sub = 'mallory') {
    for (let i = 0; i < times; i++) expect((await get('/data', localAddress, await forged(issuer, sub))).status).toBe(401);
    await bruteForce.settled();
  }

  it('reads blocks through a store without a synchronous read (shared-store shape) at once, and fails open when the store cannot answer', async () => {
    const state = running.app.get<SecurityStateStore>(BASTION_SECURITY_STATE);
    const shadowed = state as SecurityStateStore & Record<'get' | 'getNow', unknown>;
    try {
      // As with Redis: no synchronous read. A block written by another instance is refused on the next request.
      Object.assign(shadowed, { getNow: undefined });
      await state.put('block', '127.0.0.9', formatBlock({ until: Date.now() + 60_000, level: 1 }), 60_000);
      const refused = await get('/open', '127.0.0.9');
      expect(refused.status).toBe(429);
      expect(refused.json().code).toBe('ERR_CLIENT_BLOCKED');
      expect((await get('/open', '127.0.0.10')).status).toBe(200);
      // The store cannot answer: the throttle fail mode (default 'open') lets the request through, both ways.
      Object.assign(shadowed, { get: () => Promise.reject(new Error('store unreachable')) });
      expect((await get('/open', '127.0.0.9')).status).toBe(200);
      Object.assign(shadowed, {
        getNow: () => {
          throw new Error('store unreachable');
        },
      });
      expect((await get('/open', '127.0.0.9')).status).toBe(200);
    } finally {
      delete (shadowed as Partial<typeof shadowed>).get;
      delete (shadowed as Partial<typeof shadowed>).getNow;
      await state.delete('block', '127.0.0.9');
    }
    // The memory store's own synchronous read again: the block is seen there too.
    await state.put('block', '127.0.0.9', formatBlock({ until: Date.now() + 60_000, level: 1 }), 60_000);
    expect((await get('/open', '127.0.0.9')).status).toBe(429);
    await state.delete('block', '127.0.0.9');
    expect((await get('/open', '127.0.0.9')).status).toBe(200);
  });

  it('blocks an IP after N bad tokens — even its valid tokens, before verification — until the block ends', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const valid = await issuer.sign({ sub: 'alice' });
    await failFrom('127.0.0.2', MAX_FAILURES - 1);
    expect((await get('/data', '127.0.0.2', valid)).status).toBe(200);
    await failFrom('127.0.0.2', 1);

    const before = events.length;
    const blocked = await get('/data', '127.0.0.2', valid);
    expect(blocked.status).toBe(429);
    expect(problemInvariants(blocked.asResponse(), blocked.body)).toEqual([]);
    expect(blocked.json()).toMatchObject({ status: 429, code: 'ERR_CLIENT_BLOCKED' });
    expect(blocked.headers['retry-after']).toBe('60');
    // Refused before authentication: no authentication event of any kind for that request.
    expect(events.slice(before).filter((e) => e.type.startsWith('authentication.'))).toEqual([]);
    // Audited like any 429: exactly one event for the refused request, with its reason and route template.
    const refusal = events.slice(before).filter((e) => e.requestId === blocked.headers['x-request-id']);
    expect(refusal).toMatchObject([{ type: 'request.throttled', outcome: 'denied', reason: 'ERR_CLIENT_BLOCKED', ip: '127.0.0.2', routeTemplate: '/data' }]);
    expect((await get('/open', '127.0.0.2')).status).toBe(429);

    const block = events.find((e) => e.type === 'client.blocked' && e.ip === '127.0.0.2');
    expect(block).toMatchObject({ outcome: 'denied', details: { failures: MAX_FAILURES, blockMs: 60_000, level: 1 } });

    // Another IP is unaffected.
    expect((await get('/data', '127.0.0.3', valid)).status).toBe(200);

    vi.setSystemTime(Date.now() + 59_000);
    expect((await get('/data', '127.0.0.2', valid)).status).toBe(429);
    vi.setSystemTime(Date.now() + 1_001);
    expect((await get('/data', '127.0.0.2', valid)).status).toBe(200);
  });

  it('doubles the block time for a repeat offender', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const valid = await issuer.sign({ sub: 'bob' });
    await failFrom('127.0.0.4', MAX_FAILURES);
    expect((await get('/data', '127.0.0.4', valid)).headers['retry-after']).toBe('60');
    vi.setSystemTime(Date.now() + 60_001);
    await failFrom('127.0.0.4', MAX_FAILURES);
    const again = await get('/data', '127.0.0.4', valid);
    expect(again.status).toBe(429);
    expect(again.headers['retry-after']).toBe('120');
  });

  it('does not count requests without a credential as guesses', async () => {
    for (let i = 0; i < MAX_FAILURES * 2; i++) expect((await get('/data', '127.0.0.5')).status).toBe(401);
    await bruteForce.settled();
    expect((await get('/open', '127.0.0.5')).status).toBe(200);
  });

  it('counts failures per claimed identity for alerting only, never blocking that identity', async () => {
    const addresses = ['127.0.0.6', '127.0.0.7', '127.0.0.8', '127.0.0.9'];
    for (const address of addresses) await failFrom(address, 1, 'victim');
    const alert = events.find((e) => e.type === 'alert.raised' && e.reason === 'ERR_AUTH_FAILURES_FOR_IDENTITY' && e.claimed?.subject === 'victim');
    expect(alert).toMatchObject({ claimed: { subject: 'victim' }, details: { failures: 4 } });
    const victim = await issuer.sign({ sub: 'victim' });
    expect((await get('/data', '127.0.0.10', victim)).status).toBe(200);
  });

  it('uses the client IP behind the trusted proxy, not the proxy address', async () => {
    const viaProxy = (hop: string, token: string) => getFrom(`${running.url}/data`, { localAddress: '127.0.0.1', headers: { ...bearer(token), 'x-forwarded-for': hop } });
    for (let i = 0; i < MAX_FAILURES; i++) expect((await viaProxy('203.0.113.50', await forged(issuer, 'x'))).status).toBe(401);
    await bruteForce.settled();
    const valid = await issuer.sign({ sub: 'carol' });
    expect((await viaProxy('203.0.113.50', valid)).status).toBe(429);
    expect((await viaProxy('203.0.113.51', valid)).status).toBe(200);
    expect(events.some((e) => e.type === 'client.blocked' && e.ip === '203.0.113.50')).toBe(true);
  });

  it('groups IPv6 clients per /64: failures from rotating addresses add up, and the whole /64 is blocked', async () => {
    const viaProxy = (hop: string, token: string) => getFrom(`${running.url}/data`, { localAddress: '127.0.0.1', headers: { ...bearer(token), 'x-forwarded-for': hop } });
    // One attacker, one /64, a new address for every guess.
    for (let i = 0; i < MAX_FAILURES; i++) expect((await viaProxy(`2001:db8:abcd:12::${(i + 1).toString(16)}`, await forged(issuer, 'x'))).status).toBe(401);
    await bruteForce.settled();
    const valid = await issuer.sign({ sub: 'dora' });
    const blocked = await viaProxy('2001:db8:abcd:12:ffff:ffff:ffff:fffe', valid);
    expect(blocked.status).toBe(429);
    expect(blocked.json()).toMatchObject({ code: 'ERR_CLIENT_BLOCKED' });
    expect((await viaProxy('2001:db8:abcd:13::1', valid)).status).toBe(200);
    expect(events.find((e) => e.type === 'client.blocked' && e.details?.client === '2001:db8:abcd:12::/64')).toMatchObject({ ip: '2001:db8:abcd:12::5' });
  });
});
