import { Controller, Get, Module } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Authenticated, BastionModule, SecurityEvents, type JwtIssuerOptions, type SecurityEvent } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, problemInvariants, startApp, type AdapterName } from '../support/app.js';

@Controller()
class SecretController {
  @Get('secret')
  @Authenticated()
  secret() {
    return { ok: true };
  }
}

async function boot(adapter: AdapterName, jwt: JwtIssuerOptions) {
  @Module({ imports: [BastionModule.forRoot({ jwt, bruteForce: { enabled: false } })], controllers: [SecretController] })
  class AppModule {}
  const running = await startApp(AppModule, adapter);
  const events: SecurityEvent[] = [];
  running.app.get(SecurityEvents).subscribe((e) => events.push(e));
  const call = async (token: string) => {
    const before = events.length;
    const res = await fetch(`${running.url}/secret`, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.text();
    if (res.status !== 200) expect(problemInvariants(res, body)).toEqual([]);
    return { status: res.status, reason: events.slice(before).find((e) => e.type === 'authentication.failed')?.reason };
  };
  return { running, call };
}

/** Moves the wall clock only (Date); real timers keep HTTP and fetch timeouts working. */
function advance(ms: number): void {
  vi.setSystemTime(Date.now() + ms);
}

describe.each(ADAPTERS)('JWKS handling (%s)', (adapter) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    vi.useRealTimers();
    for (const c of cleanup.splice(0)) await c();
  });

  async function setup(overrides: Partial<JwtIssuerOptions> = {}) {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const issuer = await TestIssuer.start();
    const app = await boot(adapter, issuer.options(overrides));
    cleanup.push(async () => {
      await app.running.close();
      await issuer.close();
    });
    return { issuer, ...app };
  }

  it('a burst of unknown kids fetches the JWKS at most once per cooldown, and a new key is accepted one cooldown later', async () => {
    const { issuer, call } = await setup();
    expect((await call(await issuer.sign())).status).toBe(200);
    expect(issuer.jwksRequests).toBe(1);
    const burst = async (prefix: string) => {
      const results = await Promise.all(Array.from({ length: 40 }, async (_, i) => call(await issuer.sign({}, { kid: `${prefix}-${i}` }))));
      expect(new Set(results.map((r) => `${r.status} ${r.reason}`))).toEqual(new Set(['401 ERR_KEY_UNKNOWN']));
    };
    await burst('a');
    expect(issuer.jwksRequests).toBe(1);
    advance(30_000);
    await burst('b');
    expect(issuer.jwksRequests).toBe(2);
    // The issuer publishes a new key right after the flood: refused until the cooldown has passed, then fetched once.
    await issuer.rotate();
    const fresh = await issuer.sign();
    expect(await call(fresh)).toEqual({ status: 401, reason: 'ERR_KEY_UNKNOWN' });
    await burst('c');
    expect(issuer.jwksRequests).toBe(2);
    advance(30_000);
    expect((await call(fresh)).status).toBe(200);
    expect(issuer.jwksRequests).toBe(3);
  });

  it('key rotation: the new kid is fetched once for concurrent callers; old tokens stay valid until they expire', async () => {
    const { issuer, call } = await setup();
    const old = await issuer.sign({}, { expiresIn: 120 });
    expect((await call(old)).status).toBe(200);
    advance(31_000);
    await issuer.rotate();
    const fresh = await Promise.all(Array.from({ length: 10 }, () => issuer.sign()));
    const results = await Promise.all(fresh.map(call));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(issuer.jwksRequests).toBe(2);
    expect((await call(old)).status).toBe(200);
    advance(120_000);
    expect(await call(old)).toEqual({ status: 401, reason: 'ERR_TOKEN_EXPIRED' });
    expect((await call(await issuer.sign())).status).toBe(200);
  });

  it('a key the issuer retires stops verifying (even a cached token) once the JWKS is refetched', async () => {
    const { issuer, call } = await setup();
    const old = await issuer.sign();
    expect((await call(old)).status).toBe(200);
    advance(31_000);
    await issuer.rotate({ retireOld: true });
    expect((await call(await issuer.sign())).status).toBe(200);
    expect(await call(old)).toEqual({ status: 401, reason: 'ERR_KEY_UNKNOWN' });
  });

  // Issue 11 item 9: a cache hit used to check only that the key object was current, and never aged the key set.
  it('a cached token whose key the issuer removed is refused after the key set’s maxAge, even when no other token arrives', async () => {
    const { issuer, call } = await setup({ jwks: { maxAge: 60 } });
    const old = await issuer.sign();
    expect((await call(old)).status).toBe(200);
    await issuer.rotate({ retireOld: true });
    advance(61_000);
    // The first stale hit starts the refresh (stale-while-revalidate); once it lands the key is gone.
    await vi.waitFor(async () => expect(await call(old)).toEqual({ status: 401, reason: 'ERR_KEY_UNKNOWN' }), { timeout: 5_000, interval: 50 });
    expect(issuer.jwksRequests).toBeGreaterThanOrEqual(2);
  });

  it('a cached token is refused once the key set is older than maxAge + maxStale and the JWKS cannot be fetched', async () => {
    const { issuer, call } = await setup({ jwks: { maxAge: 60, maxStale: 60 } });
    const token = await issuer.sign();
    expect((await call(token)).status).toBe(200);
    issuer.setDown(true);
    advance(90_000);
    expect((await call(token)).status).toBe(200);
    advance(31_000);
    expect(await call(token)).toEqual({ status: 401, reason: 'ERR_JWKS_UNAVAILABLE' });
    issuer.setDown(false);
    advance(31_000);
    expect((await call(token)).status).toBe(200);
  });

  it('the discovery document is read again after maxAge, not once for the life of the app', async () => {
    const { issuer, call } = await setup({ discovery: true, jwks: { maxAge: 60 } });
    const token = await issuer.sign();
    expect((await call(token)).status).toBe(200);
    expect(issuer.discoveryRequests).toBe(1);
    advance(61_000);
    await vi.waitFor(async () => {
      expect((await call(token)).status).toBe(200);
      expect(issuer.discoveryRequests).toBe(2);
    }, { timeout: 5_000, interval: 50 });
  });

  it('JWKS endpoint down: cached keys keep working past maxAge (stale, bounded)', async () => {
    const { issuer, call } = await setup({ jwks: { maxAge: 600, maxStale: 3600 } });
    expect((await call(await issuer.sign())).status).toBe(200);
    issuer.setDown(true);
    advance(11 * 60_000);
    expect((await call(await issuer.sign())).status).toBe(200);
    advance(30 * 60_000);
    expect((await call(await issuer.sign())).status).toBe(200);
    expect(issuer.jwksRequests).toBeLessThanOrEqual(3);
    // Past maxAge + maxStale with no successful fetch, the keys are no longer trusted.
    advance(31 * 60_000);
    expect(await call(await issuer.sign())).toEqual({ status: 401, reason: 'ERR_JWKS_UNAVAILABLE' });
    issuer.setDown(false);
    advance(31_000);
    expect((await call(await issuer.sign())).status).toBe(200);
  });

  it('JWKS endpoint slow: the fetch times out and the request gets a 401, without hanging', { timeout: 5_000 }, async () => {
    const { issuer, call } = await setup({ jwks: { timeout: 0.3 } });
    issuer.setDelay(10_000);
    expect(await call(await issuer.sign())).toEqual({ status: 401, reason: 'ERR_JWKS_UNAVAILABLE' });
    // Within the cooldown no new fetch is started: the next request fails fast.
    expect(await call(await issuer.sign())).toEqual({ status: 401, reason: 'ERR_JWKS_UNAVAILABLE' });
    expect(issuer.jwksRequests).toBe(1);
    issuer.setDelay(0);
    advance(31_000);
    expect((await call(await issuer.sign())).status).toBe(200);
  });

  it('JWKS endpoint down at first use: 401 (no key, fail closed), then recovery after the cooldown', async () => {
    const { issuer, call } = await setup();
    issuer.setDown(true);
    expect(await call(await issuer.sign())).toEqual({ status: 401, reason: 'ERR_JWKS_UNAVAILABLE' });
    issuer.setDown(false);
    advance(31_000);
    expect((await call(await issuer.sign())).status).toBe(200);
  });
});
