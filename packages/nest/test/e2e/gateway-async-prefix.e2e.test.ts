// BastionGatewayModule.forRootAsync (routes declared, the upstream URL from ConfigService) and a gateway behind
// app.setGlobalPrefix(), on both adapters: what is forwarded, what is refused before the upstream, what stops boot.
import { Module, VERSION_NEUTRAL, VersioningType, type DynamicModule, type INestApplication } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BastionGatewayModule, type GatewayAsyncOptions, type UpstreamCredential } from '../../src/gateway/index.js';
import { BastionConfigError, BastionModule, configureBastion } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, startApp, type AdapterName, type RunningApp } from '../support/app.js';
import { recordSecret } from '../support/secrets.js';
import { rawRequest, Upstream } from '../support/upstream.js';

const GATEWAY_TOKEN = 'gateway-async-credential-8e2a61d4';
const credential: UpstreamCredential = { headersFor: async () => ({ authorization: `Bearer ${GATEWAY_TOKEN}` }) };
const ROUTES: GatewayAsyncOptions['routes'] = { orders: { prefix: '/orders', methods: ['GET', 'POST'], scopes: ['orders:read'] } };

/** A gateway whose upstream URL comes from ConfigService (loaded from `env`). */
function asyncGateway(issuer: TestIssuer, env: Record<string, string>, settings?: (config: ConfigService) => unknown): new () => unknown {
  @Module({
    imports: [
      ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => env] }),
      BastionModule.forRoot({ jwt: issuer.options(), https: { enforce: false } }) as DynamicModule,
      BastionGatewayModule.forRootAsync({
        routes: ROUTES,
        imports: [ConfigModule],
        inject: [ConfigService],
        useFactory: async (config: ConfigService) =>
          (settings?.(config) ?? { upstreams: { orders: { url: config.getOrThrow<string>('ORDERS_URL'), credential, allowInsecureHttp: true } } }) as never,
      }),
    ],
  })
  class AsyncGatewayModule {}
  return AsyncGatewayModule;
}

function prefixedGateway(issuer: TestIssuer, upstream: string): new () => unknown {
  @Module({
    imports: [
      BastionModule.forRoot({ jwt: issuer.options(), https: { enforce: false } }) as DynamicModule,
      BastionGatewayModule.forRoot({ upstreams: { orders: { url: `${upstream}/api`, prefix: '/orders', methods: ['GET', 'POST'], scopes: ['orders:read'], credential, allowInsecureHttp: true } } }),
    ],
  })
  class PrefixedGatewayModule {}
  return PrefixedGatewayModule;
}

/** The error NestFactory.create (the factory providers) or init (the route checks) fails with. */
async function bootFailure(module: new () => unknown, adapter: AdapterName, prepare?: (app: INestApplication) => void): Promise<Error> {
  let app: INestApplication | undefined;
  try {
    app = await NestFactory.create(module, adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false, abortOnError: false });
    configureBastion(app);
    prepare?.(app);
    await app.init();
  } catch (error) {
    return error as Error;
  } finally {
    await app?.close();
  }
  throw new Error('the app booted');
}

describe.each(ADAPTERS)('gateway forRootAsync and global prefix (%s)', (adapter) => {
  let issuer: TestIssuer;
  let upstream: Upstream;
  let viaConfig: RunningApp;
  let prefixed: RunningApp;
  let reader: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    recordSecret(GATEWAY_TOKEN);
    issuer = await TestIssuer.start();
    upstream = await Upstream.start();
    viaConfig = await startApp(asyncGateway(issuer, { ORDERS_URL: `${upstream.url}/api` }) as never, adapter);
    prefixed = await startApp(prefixedGateway(issuer, upstream.url) as never, adapter, (app) => {
      app.setGlobalPrefix('api/v1');
      configureBastion(app);
    });
    reader = await issuer.sign({ sub: 'alice', scope: 'orders:read' });
  }, 60_000);
  afterAll(async () => {
    await viaConfig?.close();
    await prefixed?.close();
    await upstream?.close();
    await issuer?.close();
  });

  it('forRootAsync: forwards to the URL ConfigService gave, with the routes declared statically', async () => {
    const res = await fetch(`${viaConfig.url}/orders/42?expand=items`, { headers: auth(reader) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ method: 'GET', url: '/api/42?expand=items' });
    expect(upstream.seen.at(-1)!.headers.authorization).toBe(`Bearer ${GATEWAY_TOKEN}`);
    const before = upstream.seen.length;
    expect((await fetch(`${viaConfig.url}/orders/42`, { headers: auth(await issuer.sign({ sub: 'bob', scope: 'profile' })) })).status).toBe(403);
    expect((await fetch(`${viaConfig.url}/orders/42`, { method: 'DELETE', headers: auth(reader) })).status).toBe(404);
    expect(upstream.seen.length).toBe(before);
  });

  it.each([
    ['an http: URL without allowInsecureHttp', (c: ConfigService) => ({ upstreams: { orders: { url: c.getOrThrow('ORDERS_URL'), credential } } }), 'gateway.upstreams.orders.url'],
    ['no settings for a declared upstream', () => ({ upstreams: {} }), 'gateway.upstreams.orders'],
    ['an upstream the routes do not declare', (c: ConfigService) => ({ upstreams: { orders: { url: c.getOrThrow('ORDERS_URL'), credential, allowInsecureHttp: true }, billing: { url: 'https://billing.internal', credential } } }), 'gateway.upstreams.billing'],
    ['a route setting from the factory', (c: ConfigService) => ({ upstreams: { orders: { url: c.getOrThrow('ORDERS_URL'), credential, allowInsecureHttp: true, scopes: [] } } }), 'gateway.upstreams.orders.scopes'],
    ['a credential that is not one', (c: ConfigService) => ({ upstreams: { orders: { url: c.getOrThrow('ORDERS_URL'), credential: 'bearer', allowInsecureHttp: true } } }), 'gateway.upstreams.orders.credential'],
  ])('forRootAsync: %s stops the app at boot with BastionConfigError naming the option', async (_case, settings, option) => {
    const error = await bootFailure(asyncGateway(issuer, { ORDERS_URL: 'http://127.0.0.1:9/api' }, settings), adapter);
    expect(error).toBeInstanceOf(BastionConfigError);
    expect((error as BastionConfigError).message).toContain(option);
  });

  it('forRootAsync: routes are checked when it is called, as forRoot checks them', () => {
    const call = (routes: unknown) => () => BastionGatewayModule.forRootAsync({ routes: routes as never, useFactory: () => ({ upstreams: {} }) });
    expect(call({ orders: { prefix: '/orders' } })).toThrow(/gateway\.upstreams\.orders.*must state who may call it/);
    expect(call({ orders: { prefix: '/a/../b', scopes: ['x'] } })).toThrow('gateway.upstreams.orders.prefix');
    expect(call({ orders: { prefix: '/orders', scopes: ['x'], url: 'https://orders.internal' } })).toThrow('gateway.upstreams.orders.url');
    expect(call({ a: { prefix: '/orders', public: true }, b: { prefix: '/orders/x', public: true } })).toThrow('gateway.upstreams.b.prefix');
  });

  it('global prefix: the gateway serves its routes under it and forwards the path below the upstream prefix', async () => {
    const res = await fetch(`${prefixed.url}/api/v1/orders/42?expand=items`, { headers: auth(reader) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ method: 'GET', url: '/api/42?expand=items' });
    const post = await fetch(`${prefixed.url}/api/v1/orders`, { method: 'POST', headers: { ...auth(reader), 'content-type': 'application/json' }, body: '{"sku":"a-1"}' });
    expect(post.status).toBe(200);
    expect(await post.json()).toMatchObject({ method: 'POST', url: '/api', body: '{"sku":"a-1"}' });
    expect((await fetch(`${prefixed.url}/api/v1/orders/42`)).status).toBe(401);
  });

  it('global prefix: unsafe paths under the prefixed routes are refused before the upstream; the unprefixed path is no route', async () => {
    const before = upstream.seen.length;
    for (const path of ['/api/v1/orders/../admin', '/api/v1/orders/%2e%2e%2fadmin', '/api/v1/orders//x']) {
      const res = await rawRequest(prefixed.url, 'GET', path, auth(reader));
      expect(res.status, path).toBe(400);
    }
    expect((await fetch(`${prefixed.url}/orders/42`, { headers: auth(reader) })).status).toBe(404);
    expect(upstream.seen.length).toBe(before);
  });

  it('global prefix with the gateway routes excluded from it: served and checked at their own prefix', async () => {
    const excluded = await startApp(prefixedGateway(issuer, upstream.url) as never, adapter, (app) => {
      app.setGlobalPrefix('api/v1', { exclude: ['orders', 'orders/{*path}'] });
      configureBastion(app);
    });
    try {
      const res = await fetch(`${excluded.url}/orders/9?x=1`, { headers: auth(reader) });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ url: '/api/9?x=1' });
      const before = upstream.seen.length;
      expect((await rawRequest(excluded.url, 'GET', '/orders/%2e%2e%2fadmin', auth(reader))).status).toBe(400);
      expect(upstream.seen.length).toBe(before);
    } finally {
      await excluded.close();
    }
  });

  it('URI versioning with a default version (which would move gateway routes under /v1) stops the app at boot', async () => {
    const error = await bootFailure(prefixedGateway(issuer, upstream.url), adapter, (app) => app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' }));
    expect(error).toBeInstanceOf(BastionConfigError);
    expect(error.message).toContain('enableVersioning().defaultVersion');
    // Without a default version (or a neutral one) gateway routes keep their paths: the app boots and forwards.
    const neutral = await startApp(prefixedGateway(issuer, upstream.url) as never, adapter, (app) => {
      app.enableVersioning({ type: VersioningType.URI, defaultVersion: VERSION_NEUTRAL });
      configureBastion(app);
    });
    try {
      const res = await fetch(`${neutral.url}/orders/7`, { headers: auth(reader) });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ url: '/api/7' });
    } finally {
      await neutral.close();
    }
  });
});
