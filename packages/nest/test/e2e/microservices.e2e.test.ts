import { Controller, Module, type INestApplication, type INestMicroservice, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ClientProxyFactory, MessagePattern, Payload, Transport, type ClientProxy } from '@nestjs/microservices';
import { createServer } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BastionModule, Boundary, CurrentPrincipal, Public, RequireScopes, bastionClient, configureBastion, type BastionOptions, type Principal } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { capturedAuditEvents, testLogger } from '../support/log-capture.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

@Controller()
class OrdersHandlers {
  @MessagePattern('health') @Public() health() { return 'ok'; }
  @MessagePattern('orders.find') @RequireScopes('orders:read') find(@Payload() data: unknown, @CurrentPrincipal() principal: Principal) { return { received: data, by: principal.subject }; }
  @MessagePattern('billing.charge') @Boundary('internal') @RequireScopes('billing') charge(@Payload() data: unknown) { return { charged: data }; }
}

function appModule(options: BastionOptions): Type<unknown> {
  @Module({ imports: [BastionModule.forRoot(options)], controllers: [OrdersHandlers] })
  class AppModule {}
  return AppModule;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

type Kind = 'TCP' | 'Redis';

describe.each<Kind>(['TCP', 'Redis'])('microservices over %s (TCP: hybrid app, Redis: standalone)', (kind) => {
  let issuer: TestIssuer;
  let redis: TestRedis | undefined;
  let app: INestMicroservice | INestApplication | undefined;
  let client: ClientProxy;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    let transport: { transport: Transport; options: Record<string, unknown> };
    if (kind === 'Redis') {
      redis = await startTestRedis();
      if (!redis) return;
      transport = { transport: Transport.REDIS, options: { host: '127.0.0.1', port: redis.port } };
    } else {
      transport = { transport: Transport.TCP, options: { host: '127.0.0.1', port: await freePort() } };
    }
    const options: BastionOptions = { jwt: issuer.options(), boundaries: { internal: { accept: ['jwt'], clients: ['billing-service'] } } };
    if (kind === 'TCP') {
      // A hybrid app whose microservice does not inherit the app's configuration: Nest runs none of the
      // app's global guards, filters or pipes for its messages; Bastion's guards still run.
      const hybrid = await NestFactory.create(appModule(options), new FastifyAdapter(), { logger: testLogger(), abortOnError: false });
      configureBastion(hybrid);
      hybrid.connectMicroservice(transport);
      await hybrid.startAllMicroservices();
      await hybrid.init();
      app = hybrid;
    } else {
      const standalone = await NestFactory.createMicroservice(appModule(options), { ...transport, logger: testLogger(), abortOnError: false } as never);
      await standalone.listen();
      app = standalone;
    }
    client = ClientProxyFactory.create(transport as never) as unknown as ClientProxy;
    await client.connect();
  });
  afterAll(async () => {
    await client?.close();
    await app?.close();
    await redis?.stop();
    await issuer?.close();
  });

  const call = (pattern: string, data: unknown, token?: string) =>
    firstValueFrom((token ? bastionClient(client, () => token) : client).send(pattern, data)).then(
      (value) => ({ value, error: undefined as any }),
      (error) => ({ value: undefined, error }),
    );

  it('a public handler answers an anonymous message', async (ctx) => {
    if (!app) return ctx.skip();
    expect((await call('health', {})).value).toBe('ok');
  });

  it('a protected handler refuses a message without a credential (ERR_UNAUTHENTICATED, one audit event)', async (ctx) => {
    if (!app) return ctx.skip();
    const { error } = await call('orders.find', { id: 1 });
    expect(error).toMatchObject({ status: 'error', code: 'ERR_UNAUTHENTICATED', message: 'Unauthorized', statusCode: 401 });
    const events = capturedAuditEvents().filter((e) => e.requestId === error.requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'authentication.failed', reason: 'ERR_CREDENTIAL_MISSING', method: 'MESSAGE', route: 'orders.find' });
  });

  it('the credential in the envelope is verified like HTTP: bad token, missing scope, then the payload alone reaches the handler', async (ctx) => {
    if (!app) return ctx.skip();
    const bad = `${(await issuer.sign({ sub: 'svc', scope: 'orders:read' })).slice(0, -4)}AAAA`;
    expect((await call('orders.find', { id: 1 }, bad)).error).toMatchObject({ code: 'ERR_INVALID_TOKEN', statusCode: 401 });
    const noScope = await issuer.sign({ sub: 'svc' });
    expect((await call('orders.find', { id: 1 }, noScope)).error).toMatchObject({ code: 'ERR_SCOPE_MISSING', statusCode: 403 });
    const good = await issuer.sign({ sub: 'svc', scope: 'orders:read' });
    expect((await call('orders.find', { id: 1 }, good)).value).toEqual({ received: { id: 1 }, by: 'svc' });
  });

  it('boundaries apply: only the listed client reaches an internal handler', async (ctx) => {
    if (!app) return ctx.skip();
    const other = await issuer.sign({ sub: 'svc', client_id: 'web-app', scope: 'billing' });
    expect((await call('billing.charge', { amount: 5 }, other)).error).toMatchObject({ code: 'ERR_BOUNDARY_DENIED', statusCode: 403 });
    const billing = await issuer.sign({ sub: 'billing-service', client_id: 'billing-service', scope: 'billing' });
    expect((await call('billing.charge', { amount: 5 }, billing)).value).toEqual({ charged: { amount: 5 } });
  });
});
