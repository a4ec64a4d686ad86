import { Controller, Get, Module } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BastionModule, Public, configureBastion, type BastionOptions } from '../../src/index.js';
import { BastionHealthIndicator } from '../../src/health/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { recordSecret } from '../support/secrets.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly bastion: BastionHealthIndicator,
  ) {}

  @Get('ready')
  @Public()
  @HealthCheck()
  ready() {
    return this.health.check([() => this.bastion.isHealthy('bastion')]);
  }

  @Get('details')
  @Public()
  details() {
    // The indicator's result itself, whatever its status (what the probe's 503 no longer shows).
    return this.bastion.isHealthy('bastion');
  }
}

function appModule(options: BastionOptions) {
  @Module({ imports: [BastionModule.forRoot(options), TerminusModule.forRoot({ logger: false })], controllers: [HealthController], providers: [BastionHealthIndicator] })
  class AppModule {}
  return AppModule;
}

type Store = Record<string, unknown>;
type Details = { bastion: { status: string; issuers: Record<string, { keySet?: Store; introspection?: Store }>; stores?: { counters?: Store; security?: Store } } };

const MAX_AGE = 60;
const MAX_STALE = 120;

describe.each(ADAPTERS)('BastionHealthIndicator in a terminus readiness probe (%s)', (adapter) => {
  let jwks: TestIssuer;
  let discovered: TestIssuer;
  let redis: TestRedis | undefined;
  let running: RunningApp;
  const ready = () => fetch(`${running.url}/health/ready`);
  const details = async () => (await (await fetch(`${running.url}/health/details`)).json()) as Details;

  beforeAll(async () => {
    [jwks, discovered, redis] = await Promise.all([TestIssuer.start(), TestIssuer.start({ path: '/realms/b' }), startTestRedis()]);
    recordSecret(jwks.introspection.clientSecret);
    running = await startApp(
      appModule({
        issuers: [jwks.introspectionOptions({ jwks: { maxAge: MAX_AGE, maxStale: MAX_STALE } }), discovered.options({ discovery: true })],
        store: redis ? { type: 'redis', url: redis.url, keyPrefix: `health-${adapter}:` } : { type: 'memory' },
      }),
      adapter,
      (app) => configureBastion(app),
    );
  }, 60_000);
  afterAll(async () => {
    await running?.close();
    await Promise.all([jwks?.close(), discovered?.close(), redis?.stop()]);
  });
  afterEach(() => {
    vi.useRealTimers();
    jwks.setDown(false);
  });

  it('is up once every key set is fetched (the probe fetches idle ones), the introspection endpoint answers and the store responds', async () => {
    const res = await ready();
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; info: Details };
    expect(body.status).toBe('ok');
    const { issuers, stores } = body.info.bastion;
    expect(issuers[jwks.issuer]!.keySet).toMatchObject({ status: 'up', source: 'remote', keys: 1, stale: false, expired: false, lastSuccess: expect.any(String) });
    expect(issuers[jwks.issuer]!.introspection).toMatchObject({ status: 'up', lastSuccess: expect.any(String) });
    expect(issuers[discovered.issuer]!.keySet).toMatchObject({ status: 'up', discovery: { lastSuccess: expect.any(String) } });
    expect(stores?.counters).toMatchObject({ status: 'up', type: redis ? 'redis' : 'memory', latencyMs: expect.any(Number) });
    expect(stores?.security).toMatchObject({ status: 'up', type: redis ? 'redis' : 'memory', latencyMs: expect.any(Number) });
    // Nothing secret in the probe's answer: no client secret, no key material.
    const text = JSON.stringify(body);
    expect(text).not.toContain(jwks.introspection.clientSecret);
    expect(text).not.toMatch(/"n":|"d":|BEGIN/);
  });

  it('goes down when the JWKS cannot be refreshed past maxAge + maxStale, with the last success and failure, and recovers', async () => {
    expect((await ready()).status).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + (MAX_AGE + MAX_STALE) * 1000);
    jwks.setDown(true);
    const res = await ready();
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const { bastion } = await details();
    expect(bastion.status).toBe('down');
    expect(bastion.issuers[jwks.issuer]!.keySet).toMatchObject({ status: 'down', expired: true, lastError: 'HTTP 503', lastFailure: expect.any(String), lastSuccess: expect.any(String) });
    expect(bastion.issuers[jwks.issuer]!.introspection).toMatchObject({ status: 'down', lastError: 'HTTP 503' });
    expect(bastion.issuers[discovered.issuer]!.keySet).toMatchObject({ status: 'up' });
    jwks.setDown(false);
    // The next attempt waits for the cooldown (30 s by default), like the refresh a request would start.
    vi.setSystemTime(Date.now() + 30_000);
    expect((await ready()).status).toBe(200);
  });

  it('goes down while the store cannot answer, naming the failure but not the connection', async (ctx) => {
    if (!redis?.managed) return ctx.skip();
    await redis.stop();
    try {
      expect((await ready()).status).toBe(503);
      const { bastion } = await details();
      expect(bastion.stores?.counters).toMatchObject({ status: 'down', type: 'redis', error: expect.any(String) });
      expect(bastion.stores?.security).toMatchObject({ status: 'down', type: 'redis', error: expect.any(String) });
      expect(JSON.stringify(bastion.stores)).not.toContain(String(redis.port));
    } finally {
      await redis.start();
    }
    await vi.waitFor(async () => expect((await ready()).status).toBe(200), { timeout: 15_000, interval: 200 });
  });
});
