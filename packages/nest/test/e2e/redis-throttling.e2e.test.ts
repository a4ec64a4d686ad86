import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BastionModule, Public, type BastionOptions } from '../../src/index.js';
import { ADAPTERS, problemInvariants, startApp, type AdapterName, type RunningApp } from '../support/app.js';
import { startTestRedis } from '../support/redis.js';

@Controller()
class ApiController {
  @Get('open')
  @Public()
  open() {
    return { ok: true };
  }
}

function appModule(options: BastionOptions): new () => unknown {
  @Module({ imports: [BastionModule.forRoot(options) as DynamicModule], controllers: [ApiController] })
  class AppModule {}
  return AppModule;
}

const LIMIT = 50;
const redis = await startTestRedis();
afterAll(() => redis?.stop());

const other = (adapter: AdapterName): AdapterName => (adapter === 'express' ? 'fastify' : 'express');

describe.runIf(redis).each(ADAPTERS)('throttling on one Redis shared by two instances (%s + the other adapter)', (adapter) => {
  let open: RunningApp;
  let closed: RunningApp;
  beforeAll(async () => {
    const keyPrefix = `e2e:${randomUUID()}:`;
    const options = (failMode: 'open' | 'closed'): BastionOptions => ({
      store: { type: 'redis', url: redis!.url, keyPrefix },
      throttle: { anonymous: { limit: LIMIT, ttl: 60_000 }, failMode },
    });
    open = await startApp(appModule(options('open')), adapter);
    closed = await startApp(appModule(options('closed')), other(adapter));
  });
  afterAll(async () => {
    await open?.close();
    await closed?.close();
  });

  it(`enforces one combined limit exactly: 200 parallel requests over both instances, limit ${LIMIT} → ${LIMIT} pass`, async () => {
    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => fetch(`${(i % 2 ? open : closed).url}/open`)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(200 - LIMIT);
    const limited = responses.find((r) => r.status === 429)!;
    const body = await limited.text();
    expect(problemInvariants(limited, body)).toEqual([]);
    expect(JSON.parse(body).code).toBe('ERR_RATE_LIMITED');
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    await Promise.all(responses.filter((r) => r !== limited).map((r) => r.body?.cancel()));
  });

  it.runIf(redis?.managed)('with Redis stopped mid-run: open fails open, closed answers 503, nothing crashes; both recover', async () => {
    // Stop Redis while requests are in flight.
    const inFlight = Array.from({ length: 40 }, (_, i) => fetch(`${(i % 2 ? open : closed).url}/open`).then((r) => r.status));
    await redis!.stop();
    const during = await Promise.all(inFlight);
    expect(during.every((s) => [200, 429, 503].includes(s))).toBe(true);

    const fromOpen = await fetch(`${open.url}/open`);
    expect(fromOpen.status).toBe(200);
    expect(fromOpen.headers.get('ratelimit')).toBeNull();
    const fromClosed = await fetch(`${closed.url}/open`);
    const body = await fromClosed.text();
    expect(fromClosed.status).toBe(503);
    expect(problemInvariants(fromClosed, body)).toEqual([]);
    expect(JSON.parse(body).code).toBe('ERR_SERVICE_UNAVAILABLE');
    expect(body).not.toMatch(/redis|ECONNREFUSED|127\.0\.0\.1:\d+/i);

    await redis!.start();
    // Fresh server (no persistence): counting starts again once both clients have reconnected.
    await expect.poll(async () => (await fetch(`${closed.url}/open`)).status, { timeout: 15_000, interval: 200 }).toBe(200);
    await expect.poll(async () => (await fetch(`${open.url}/open`)).headers.get('ratelimit'), { timeout: 15_000, interval: 200 }).toMatch(/^"default";r=\d+;t=\d+$/);
  });
});
