import { Controller, Get, Module } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Authenticated, BastionModule, CurrentPrincipal, RevocationService, configureBastion, type BastionOptions, type Principal } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, problemInvariants, startApp, type AdapterName, type RunningApp } from '../support/app.js';
import { capturedAuditEvents } from '../support/log-capture.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

@Controller('me')
class MeController {
  @Get()
  @Authenticated()
  me(@CurrentPrincipal() principal: Principal) {
    return { subject: principal.subject };
  }
}

function appModule(options: BastionOptions) {
  @Module({ imports: [BastionModule.forRoot(options)], controllers: [MeController] })
  class AppModule {}
  return AppModule;
}

const get = (url: string, token: string) => fetch(`${url}/me`, { headers: { authorization: `Bearer ${token}` } });

/** The audit events of one request (matched by request id). */
function auditOf(res: Response): Record<string, any>[] {
  const id = res.headers.get('x-request-id');
  return capturedAuditEvents().filter((e) => e.requestId === id);
}

async function expectUniform401(res: Response, reason: string, invalidBody: string) {
  const body = await res.text();
  expect(res.status).toBe(401);
  expect(problemInvariants(res, body)).toEqual([]);
  expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  // Identical to any other invalid token, apart from the request id.
  const strip = (s: string) => s.replace(/"requestId":"[^"]+"/, '');
  expect(strip(body)).toBe(strip(invalidBody));
  expect(body).not.toMatch(/revoked|lifetime|ERR_TOKEN_/i);
  const events = auditOf(res);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ type: 'authentication.failed', outcome: 'failure', reason });
}

type StoreCase = { name: 'memory' } | { name: 'redis' };
const STORES: StoreCase[] = [{ name: 'memory' }, { name: 'redis' }];

describe.each(STORES)('revocation with the $name store', ({ name: storeName }) => {
  let redis: TestRedis | undefined;
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    if (storeName === 'redis') redis = await startTestRedis();
  });
  afterAll(async () => {
    await issuer.close();
    await redis?.stop();
  });

  describe.each(ADAPTERS)('(%s)', (adapter: AdapterName) => {
    let running: RunningApp;
    let revocation: RevocationService;
    let invalidBody: string;

    beforeAll(async () => {
      if (storeName === 'redis' && !redis) return;
      const store: BastionOptions['store'] = storeName === 'redis' ? { type: 'redis', url: redis!.url, keyPrefix: `rev-${adapter}:` } : { type: 'memory' };
      running = await startApp(appModule({ jwt: issuer.options(), store }), adapter);
      revocation = running.app.get(RevocationService);
      const invalid = await get(running.url, `${(await issuer.sign({ sub: 'x' })).slice(0, -4)}AAAA`);
      invalidBody = await invalid.text();
      expect(invalid.status).toBe(401);
    });
    afterAll(() => running?.close());
    beforeEach(async () => {
      if (storeName === 'redis' && redis?.managed) await redis.start().catch(() => undefined);
    });

    it('revoked jti → the uniform 401, audit reason ERR_TOKEN_REVOKED; other tokens still work', async (ctx) => {
      if (!running) return ctx.skip();
      const token = await issuer.sign({ sub: 'alice', jti: `jti-${adapter}-${storeName}` });
      const other = await issuer.sign({ sub: 'alice' });
      expect((await get(running.url, token)).status).toBe(200);
      await revocation.revokeToken(`jti-${adapter}-${storeName}`, new Date(Date.now() + 300_000));
      await expectUniform401(await get(running.url, token), 'ERR_TOKEN_REVOKED', invalidBody);
      expect((await get(running.url, other)).status).toBe(200);
      const revokedEvent = capturedAuditEvents().find((e) => e.type === 'token.revoked' && e.principal?.keyId === `jti-${adapter}-${storeName}`);
      expect(revokedEvent).toMatchObject({ outcome: 'info', reason: 'REVOKED_TOKEN' });
    });

    it('log out everywhere → earlier tokens 401, later ones 200, other subjects unaffected', async (ctx) => {
      if (!running) return ctx.skip();
      const now = Math.floor(Date.now() / 1000);
      const subject = `bob-${adapter}-${storeName}`;
      const earlier = await issuer.sign({ sub: subject, iat: now - 30, exp: now + 200 });
      const later = await issuer.sign({ sub: subject, iat: now, exp: now + 200 });
      const someoneElse = await issuer.sign({ sub: 'carol', iat: now - 30, exp: now + 200 });
      await revocation.revokeSubject(subject, new Date((now - 10) * 1000));
      await expectUniform401(await get(running.url, earlier), 'ERR_TOKEN_REVOKED', invalidBody);
      expect((await get(running.url, later)).status).toBe(200);
      expect((await get(running.url, someoneElse)).status).toBe(200);
    });

    it('revokes everything a client got before a time', async (ctx) => {
      if (!running) return ctx.skip();
      const now = Math.floor(Date.now() / 1000);
      const client = `client-${adapter}-${storeName}`;
      const token = await issuer.sign({ sub: 'dave', client_id: client, iat: now - 30, exp: now + 200 });
      expect((await get(running.url, token)).status).toBe(200);
      await revocation.revokeClient(client);
      await expectUniform401(await get(running.url, token), 'ERR_TOKEN_REVOKED', invalidBody);
    });

    it('rejects tokens living longer than tokens.maxLifetime (default 1 h) with reason ERR_TOKEN_LIFETIME', async (ctx) => {
      if (!running) return ctx.skip();
      const now = Math.floor(Date.now() / 1000);
      const long = await issuer.sign({ sub: 'erin', iat: now, exp: now + 3601 });
      await expectUniform401(await get(running.url, long), 'ERR_TOKEN_LIFETIME', invalidBody);
      expect((await get(running.url, await issuer.sign({ sub: 'erin', iat: now, exp: now + 3600 }))).status).toBe(200);
    });

    it('store down → 401 (fail closed), reason ERR_REVOCATION_UNAVAILABLE', async (ctx) => {
      if (!running || (storeName === 'redis' && !redis?.managed)) return ctx.skip();
      const token = await issuer.sign({ sub: 'frank' });
      if (storeName === 'redis') {
        await redis!.stop();
      } else {
        const store = running.app.get(RevocationService)['store' as keyof RevocationService] as unknown as { get: unknown; getNow?: unknown };
        const original = { get: store.get, getNow: store.getNow };
        // Both reads: the asynchronous one and the memory store's synchronous one.
        store.get = () => Promise.reject(new Error('store unreachable'));
        store.getNow = () => {
          throw new Error('store unreachable');
        };
        try {
          await expectUniform401(await get(running.url, token), 'ERR_REVOCATION_UNAVAILABLE', invalidBody);
        } finally {
          Object.assign(store, original);
        }
        expect((await get(running.url, token)).status).toBe(200);
        return;
      }
      await expectUniform401(await get(running.url, token), 'ERR_REVOCATION_UNAVAILABLE', invalidBody);
      await redis!.start();
    });
  });
});

describe.each(ADAPTERS)('tokens.requireJti (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    running = await startApp(appModule({ jwt: issuer.options(), tokens: { requireJti: true, maxLifetime: 600 } }), adapter);
  });
  afterAll(async () => {
    await running.close();
    await issuer.close();
  });

  it('refuses tokens without jti (ERR_TOKEN_ID_MISSING) and applies the configured maximum lifetime', async () => {
    const noJti = await fetch(`${running.url}/me`, { headers: { authorization: `Bearer ${await issuer.sign({ jti: undefined })}` } });
    expect(noJti.status).toBe(401);
    expect(auditOf(noJti).map((e) => e.reason)).toEqual(['ERR_TOKEN_ID_MISSING']);
    const long = await fetch(`${running.url}/me`, { headers: { authorization: `Bearer ${await issuer.sign({}, { expiresIn: 601 })}` } });
    expect(auditOf(long).map((e) => e.reason)).toEqual(['ERR_TOKEN_LIFETIME']);
    expect((await fetch(`${running.url}/me`, { headers: { authorization: `Bearer ${await issuer.sign({})}` } })).status).toBe(200);
  });
});

describe.each(ADAPTERS)('revocation and issuer clock skew (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    // This issuer's tokens are accepted up to 300 s past exp and with iat up to 300 s ahead.
    running = await startApp(appModule({ jwt: issuer.options({ clockTolerance: 300 }) }), adapter, configureBastion);
  });
  afterAll(async () => {
    vi.useRealTimers();
    await running.close();
    await issuer.close();
  });
  afterEach(() => vi.useRealTimers());

  it('a revoked token stays revoked as long as the verifier accepts it (exp + issuer tolerance), not exp + 60 s', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await issuer.sign({ sub: 'alice', jti: `skew-${adapter}`, iat: now, exp: now + 10 });
    await running.app.get(RevocationService).revokeToken(`skew-${adapter}`, now + 10);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime((now + 10 + 200) * 1000);
    const res = await get(running.url, token);
    expect(res.status).toBe(401);
    expect(auditOf(res).map((e) => e.reason)).toEqual(['ERR_TOKEN_REVOKED']);
  });

  it('"log out everywhere" also refuses tokens stamped up to the tolerance after the cut-off by a clock running ahead', async () => {
    const now = Math.floor(Date.now() / 1000);
    await running.app.get(RevocationService).revokeSubject(`bob-${adapter}`, new Date(now * 1000));
    const ahead = await issuer.sign({ sub: `bob-${adapter}`, iat: now + 250, exp: now + 850 });
    const res = await get(running.url, ahead);
    expect(res.status).toBe(401);
    expect(auditOf(res).map((e) => e.reason)).toEqual(['ERR_TOKEN_REVOKED']);
    // One second past the window: a token minted after the cut-off (iat 291 s ahead of this API's clock, within tolerance).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime((now + 10) * 1000);
    expect((await get(running.url, await issuer.sign({ sub: `bob-${adapter}`, iat: now + 301, exp: now + 900 }))).status).toBe(200);
  });
});
