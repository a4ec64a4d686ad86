import { Body, Controller, Delete, Get, Injectable, Module, Param, Post, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';
import { IsInt, IsString, Min } from 'class-validator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  Authenticated,
  BastionModule,
  Boundary,
  Public,
  RequireScopes,
  RevocationService,
  Roles,
  UsePolicy,
  configureBastion,
  type BastionOptions,
  type Policy,
} from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, startApp, type AdapterName, type RunningApp } from '../support/app.js';
import { recordIdentity } from '../support/secrets.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { enableContext, requestSpans, testTelemetry, type TestTelemetry } from '../support/telemetry.js';

class ItemDto {
  @IsString()
  name!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

@Injectable()
class NobodyPolicy implements Policy {
  evaluate(): boolean {
    return false;
  }
}

@Controller('t')
class TelemetryController {
  @Get('public')
  @Public()
  open() {
    return { ok: true };
  }

  @Get('orders/:id')
  @RequireScopes('orders:read')
  order(@Param('id') id: string) {
    return { id };
  }

  @Delete('orders/:id')
  @Roles('admin')
  remove() {
    return { ok: true };
  }

  @Get('policy')
  @UsePolicy(NobodyPolicy)
  policy() {
    return { ok: true };
  }

  @Get('internal')
  @Boundary('internal')
  @Authenticated()
  internal() {
    return { ok: true };
  }

  @Post('items')
  @Authenticated()
  create(@Body() item: ItemDto) {
    return item;
  }

  @Get('limited')
  @Authenticated()
  @Throttle({ default: { limit: 1, ttl: 60_000 } })
  limited() {
    return { ok: true };
  }
}

// Whoever the tests act as: none of it may appear in a metric label or span attribute (checked after the file).
for (const ip of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) recordIdentity(ip, { exact: true });
const subject = (name: string) => recordIdentity(`subject-${name}-${Math.random().toString(36).slice(2, 8)}`);
const client = (name: string) => recordIdentity(`client-${name}-${Math.random().toString(36).slice(2, 8)}`);
const WORKER = client('worker');

/** The app under test, with a server span per request (what an HTTP instrumentation makes). */
function appModule(options: BastionOptions, telemetry: TestTelemetry) {
  @Module({
    imports: [
      BastionModule.forRoot({
        boundaries: { internal: { accept: ['jwt'], clients: [WORKER] } },
        ...options,
        telemetry: { meterProvider: telemetry.meterProvider, tracerProvider: telemetry.tracerProvider },
      }),
    ],
    controllers: [TelemetryController],
    providers: [NobodyPolicy],
  })
  class AppModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      consumer.apply(requestSpans(telemetry.tracerProvider)).forRoutes('*');
    }
  }
  return AppModule;
}

const AUTH = 'bastion.authentication.attempts';
const DENIALS = 'bastion.authorization.denials';
const THROTTLED = 'bastion.throttle.rejections';

describe.each(ADAPTERS)('telemetry of every security decision (%s)', (adapter: AdapterName) => {
  let issuer: TestIssuer;
  let telemetry: TestTelemetry;
  let running: RunningApp;
  const call = (path: string, token?: string, init: RequestInit = {}) =>
    fetch(`${running.url}${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}) } });
  const route = (template: string, method = 'GET') => ({ 'http.route': template, 'http.request.method': method });

  beforeAll(async () => {
    enableContext();
    issuer = await TestIssuer.start();
    telemetry = testTelemetry();
    running = await startApp(
      appModule({ jwt: issuer.options() }, telemetry),
      adapter,
      (app) => configureBastion(app),
    );
  });
  afterAll(async () => {
    await running?.close();
    await telemetry?.shutdown();
    await issuer?.close();
  });

  it('a missing credential counts as a failure of credential type none, by route template', async () => {
    const before = await telemetry.count(AUTH, { 'bastion.reason': 'ERR_CREDENTIAL_MISSING', ...route('/t/orders/:id') });
    expect((await call(`/t/orders/${subject('path')}`)).status).toBe(401);
    expect(await telemetry.count(AUTH, { 'bastion.authentication.result': 'failure', 'bastion.credential.type': 'none', 'bastion.reason': 'ERR_CREDENTIAL_MISSING', ...route('/t/orders/:id') })).toBe(before + 1);
  });

  it.each([
    ['ERR_TOKEN_EXPIRED', (i: TestIssuer) => i.sign({ sub: subject('expired'), exp: Math.floor(Date.now() / 1000) - 600 })],
    ['ERR_SIGNATURE_INVALID', async (i: TestIssuer) => `${(await i.sign({ sub: subject('tampered') })).slice(0, -6)}AAAAAA`],
    ['ERR_AUDIENCE_MISMATCH', (i: TestIssuer) => i.sign({ sub: subject('audience'), aud: 'another-api' })],
    ['ERR_ISSUER_UNKNOWN', (i: TestIssuer) => i.sign({ sub: subject('issuer'), iss: 'https://elsewhere.example' })],
  ])('an invalid token (%s) counts as a failure of credential type jwt with its reason, and its span says deny', async (reason, mint) => {
    const before = await telemetry.count(AUTH, { 'bastion.reason': reason });
    const res = await call('/t/orders/1', await mint(issuer));
    expect(res.status).toBe(401);
    expect(await telemetry.count(AUTH, { 'bastion.authentication.result': 'failure', 'bastion.credential.type': 'jwt', 'bastion.reason': reason, ...route('/t/orders/:id') })).toBe(before + 1);
    expect(await telemetry.count('bastion.verification.duration', { 'bastion.verification.result': 'failure', 'bastion.reason': reason })).toBeGreaterThan(0);
    const span = telemetry.spans().find((s) => s.name === 'bastion.authenticate' && s.attributes['bastion.reason'] === reason);
    expect(span?.attributes).toMatchObject({ 'bastion.decision': 'deny', 'http.route': '/t/orders/:id' });
  });

  it.each([
    ['ERR_SCOPE_MISSING', 'GET', '/t/orders/:id', '/t/orders/7', { scope: 'orders:write' }],
    ['ERR_ROLE_MISSING', 'DELETE', '/t/orders/:id', '/t/orders/7', { scope: 'orders:read', roles: ['staff'] }],
    ['ERR_POLICY_DENIED', 'GET', '/t/policy', '/t/policy', {}],
    ['ERR_BOUNDARY_DENIED', 'GET', '/t/internal', '/t/internal', {}],
  ] as const)('an authorization denial (%s) counts with its reason, route and boundary', async (reason, method, template, path, claims) => {
    const before = await telemetry.count(DENIALS, { 'bastion.reason': reason });
    const res = await call(path, await issuer.sign({ sub: subject('denied'), client_id: client('spa'), ...claims }), { method });
    expect([403, 404]).toContain(res.status);
    expect(await telemetry.count(DENIALS, { 'bastion.reason': reason, 'bastion.credential.type': 'jwt', ...route(template, method) })).toBe(before + 1);
    if (reason === 'ERR_BOUNDARY_DENIED') expect(await telemetry.count(DENIALS, { 'bastion.reason': reason, 'bastion.boundary': 'internal' })).toBe(before + 1);
  });

  it('a throttled request counts by route and tracker', async () => {
    const token = await issuer.sign({ sub: subject('throttled') });
    expect((await call('/t/limited', token)).status).toBe(200);
    expect((await call('/t/limited', token)).status).toBe(429);
    expect(await telemetry.count(THROTTLED, { 'bastion.reason': 'ERR_RATE_LIMITED', 'bastion.throttle.tracker': 'principal', ...route('/t/limited') })).toBe(1);
  });

  it('a revoked token counts as a failure and as a revocation check that found it revoked', async () => {
    const jti = recordIdentity(`jti-${adapter}-${Math.random().toString(36).slice(2)}`);
    const token = await issuer.sign({ sub: subject('revoked'), jti, scope: 'orders:read' });
    expect((await call('/t/orders/1', token)).status).toBe(200);
    await running.app.get(RevocationService).revokeToken(jti, new Date(Date.now() + 300_000));
    expect((await call('/t/orders/1', token)).status).toBe(401);
    expect(await telemetry.count(AUTH, { 'bastion.reason': 'ERR_TOKEN_REVOKED', 'bastion.credential.type': 'jwt', ...route('/t/orders/:id') })).toBe(1);
    expect(await telemetry.count('bastion.revocation.checks', { 'bastion.revocation.result': 'revoked' })).toBe(1);
    expect(await telemetry.count('bastion.revocation.checks', { 'bastion.revocation.result': 'not_revoked' })).toBeGreaterThan(0);
    expect(await telemetry.count('bastion.revocations', { 'bastion.revocation.scope': 'token' })).toBe(1);
  });

  it('a success counts once, and verification time is recorded for the miss, then the cache hit', async () => {
    const token = await issuer.sign({ sub: subject('success'), scope: 'orders:read' });
    const success = { 'bastion.authentication.result': 'success', 'bastion.credential.type': 'jwt', ...route('/t/orders/:id') };
    const before = await telemetry.count(AUTH, success);
    const hits = await telemetry.count('bastion.verification.duration', { 'bastion.token.cache': 'hit', 'bastion.verification.result': 'success' });
    expect((await call('/t/orders/1', token)).status).toBe(200);
    expect((await call('/t/orders/2', token)).status).toBe(200);
    expect(await telemetry.count(AUTH, success)).toBe(before + 2);
    expect(await telemetry.count('bastion.verification.duration', { 'bastion.token.cache': 'hit', 'bastion.verification.result': 'success' })).toBe(hits + 1);
    expect(await telemetry.count('bastion.store.duration', { 'bastion.store.type': 'memory' })).toBeGreaterThan(0);
    expect(await telemetry.count('bastion.token_cache.size', { 'bastion.credential.type': 'jwt' })).toBeGreaterThan(0);
    expect((await telemetry.points('bastion.key_set.age')).map((p) => p.attributes)).toEqual([{ 'bastion.issuer': issuer.issuer }]);
  });

  it('spans every step of a request as children of its span, with the decision', async () => {
    const res = await call('/t/orders/9', await issuer.sign({ sub: subject('spans'), scope: 'orders:write' }));
    expect(res.status).toBe(403);
    const authorize = telemetry.spans().find((s) => s.name === 'bastion.authorize' && s.attributes['bastion.reason'] === 'ERR_SCOPE_MISSING')!;
    expect(authorize).toBeDefined();
    const traceId = authorize.spanContext().traceId;
    const request = telemetry.spans().find((s) => s.spanContext().traceId === traceId && s.parentSpanContext === undefined)!;
    const steps = telemetry.spans().filter((s) => s.spanContext().traceId === traceId && s !== request);
    expect(steps.map((s) => [s.name, s.attributes['bastion.decision']]).sort()).toEqual([
      ['bastion.authenticate', 'allow'],
      ['bastion.authorize', 'deny'],
      ['bastion.block', 'allow'],
      ['bastion.throttle', 'allow'],
    ]);
    for (const step of steps) expect(step.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(steps.find((s) => s.name === 'bastion.authenticate')!.attributes).toMatchObject({ 'bastion.credential.type': 'jwt', 'http.route': '/t/orders/:id' });
  });

  it('spans validation with its decision', async () => {
    const res = await call('/t/items', await issuer.sign({ sub: subject('validate') }), { method: 'POST', body: JSON.stringify({ name: 'tea', quantity: 0 }) });
    expect(res.status).toBe(400);
    const span = telemetry.spans().find((s) => s.name === 'bastion.validate' && s.attributes['bastion.decision'] === 'deny');
    expect(span?.attributes).toMatchObject({ 'bastion.reason': 'ERR_VALIDATION', 'bastion.validation.target': 'body' });
  });
});

describe.each(ADAPTERS)('telemetry of blocks and alerts (%s)', (adapter: AdapterName) => {
  let issuer: TestIssuer;
  let telemetry: TestTelemetry;
  let running: RunningApp;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    telemetry = testTelemetry();
    const options: BastionOptions = {
      jwt: issuer.options(),
      bruteForce: { maxFailures: 2 },
      alerts: { rules: [{ name: 'ALERT_TEST_FAILURES', on: ['authentication.failed'], by: 'ip', threshold: 1, window: 60, exceptReasons: ['ERR_CREDENTIAL_MISSING'] }] },
    };
    running = await startApp(appModule(options, telemetry), adapter, (app) => configureBastion(app));
  });
  afterAll(async () => {
    await running?.close();
    await telemetry?.shutdown();
    await issuer?.close();
  });

  it('a block counts once, every blocked request as a 429 of reason ERR_CLIENT_BLOCKED, and the alert by rule', async () => {
    const bad = `${(await issuer.sign({ sub: subject('guess') })).slice(0, -6)}AAAAAA`;
    expect((await fetch(`${running.url}/t/orders/1`, { headers: { authorization: `Bearer ${bad}` } })).status).toBe(401);
    expect((await fetch(`${running.url}/t/orders/1`, { headers: { authorization: `Bearer ${bad}` } })).status).toBe(401);
    // Failures are counted in the background; the block is in place once its metric is.
    await vi.waitFor(async () => expect(await telemetry.count('bastion.client.blocks')).toBe(1), { timeout: 10_000, interval: 50 });
    const blocked = await fetch(`${running.url}/t/public`);
    expect(blocked.status).toBe(429);
    expect(await telemetry.count(THROTTLED, { 'bastion.reason': 'ERR_CLIENT_BLOCKED', 'bastion.throttle.tracker': 'ip', 'http.route': '/t/public', 'http.request.method': 'GET' })).toBe(1);
    await vi.waitFor(async () => expect(await telemetry.count('bastion.alerts', { 'bastion.alert.rule': 'ALERT_TEST_FAILURES' })).toBe(1), { timeout: 10_000, interval: 50 });
  });
});

describe.each(ADAPTERS)('telemetry of store failures (%s)', (adapter: AdapterName) => {
  let issuer: TestIssuer;
  let redis: TestRedis | undefined;
  let telemetry: TestTelemetry;
  let running: RunningApp;

  beforeAll(async () => {
    [issuer, redis] = await Promise.all([TestIssuer.start(), startTestRedis()]);
    if (!redis?.managed) return;
    telemetry = testTelemetry();
    const options: BastionOptions = { jwt: issuer.options(), store: { type: 'redis', url: redis.url, keyPrefix: `tel-${adapter}:`, commandTimeoutMs: 500 }, throttle: { failMode: 'open' } };
    running = await startApp(appModule(options, telemetry), adapter, (app) => configureBastion(app));
  });
  afterAll(async () => {
    await running?.close();
    await telemetry?.shutdown();
    await Promise.all([issuer?.close(), redis?.stop()]);
  });

  it('counts each failed store call by consumer and the fail mode applied, and times it with error.type', async (ctx) => {
    if (!running) return ctx.skip();
    const token = await issuer.sign({ sub: subject('store'), scope: 'orders:read' });
    expect((await fetch(`${running.url}/t/orders/1`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    await redis!.stop();
    try {
      // Throttling and the block check fail open; revocation fails closed (the uniform 401).
      expect((await fetch(`${running.url}/t/public`)).status).toBe(200);
      expect((await fetch(`${running.url}/t/orders/1`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    } finally {
      await redis!.start();
    }
    const errors = 'bastion.store.errors';
    expect(await telemetry.count(errors, { 'bastion.store.type': 'redis', 'bastion.store.consumer': 'throttle', 'bastion.fail_mode': 'open' })).toBeGreaterThan(0);
    expect(await telemetry.count(errors, { 'bastion.store.consumer': 'block', 'bastion.fail_mode': 'open' })).toBeGreaterThan(0);
    expect(await telemetry.count(errors, { 'bastion.store.consumer': 'revocation', 'bastion.fail_mode': 'closed' })).toBe(1);
    expect(await telemetry.count('bastion.revocation.checks', { 'bastion.revocation.result': 'error' })).toBe(1);
    expect(await telemetry.count('bastion.authentication.attempts', { 'bastion.reason': 'ERR_REVOCATION_UNAVAILABLE' })).toBe(1);
    const failed = (await telemetry.points('bastion.store.duration')).filter((p) => p.attributes['error.type'] !== undefined);
    expect(failed.length).toBeGreaterThan(0);
    for (const p of failed) expect(String(p.attributes['error.type'])).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });
});
