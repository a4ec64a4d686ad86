import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BastionConfigError, BastionModule, Public, configureBastion } from '../../src/index.js';
import { ADAPTERS, startApp, type AdapterName, type RunningApp } from '../support/app.js';
import { capturedLines, testLogger } from '../support/log-capture.js';
import { hardeningModule } from '../transport/fixture-app.js';

@Controller()
class Open {
  @Get('open')
  @Public()
  open() {
    return { ok: true };
  }
}

@Module({ imports: [BastionModule.forRoot({})], controllers: [Open] })
class AppModule {}

const adapterOf = (adapter: AdapterName) => (adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter());

// Issue 11 item 10: without configureBastion(app), bodies were parsed by the adapter's own parsers
// (Express: qs with no depth or duplicate-key checks) and the app started as if hardened.
describe.each(ADAPTERS)('an app without configureBastion(app) (%s)', (adapter) => {
  it('refuses to listen, naming the fix', async () => {
    const app = await NestFactory.create(AppModule, adapterOf(adapter), { logger: false, abortOnError: false });
    try {
      const error = await app.listen(0, '127.0.0.1').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(BastionConfigError);
      expect((error as Error).message).toMatch(/^Bastion configuration: "configureBastion\(app\)" was not called before app\.init\(\)\/app\.listen\(\)/);
      expect((error as Error).message).toContain('Call configureBastion(app) right after NestFactory.create()');
      expect(app.getHttpServer().listening).toBe(false);
    } finally {
      await app.close().catch(() => undefined);
    }
  });

  it('refuses to init a testing module application too', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = moduleRef.createNestApplication(adapterOf(adapter), { logger: false });
    await expect(app.init()).rejects.toThrow(BastionConfigError);
    await app.close().catch(() => undefined);
  });

  it('starts once configureBastion(app) is applied, and refuses a second application or foreign overrides', async () => {
    const app = await NestFactory.create(AppModule, adapterOf(adapter), { logger: false });
    try {
      expect(() => configureBastion(app, { trustedProxies: [] } as never)).toThrow('"configureBastion.trustedProxies" cannot be set here');
      configureBastion(app);
      expect(() => configureBastion(app)).toThrow('already applied');
      await app.listen(0, '127.0.0.1');
      const { port } = app.getHttpServer().address() as { port: number };
      expect((await fetch(`http://127.0.0.1:${port}/open`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('does not concern an application without an HTTP server', async () => {
    const context = await NestFactory.createApplicationContext(AppModule, { logger: false });
    await context.init();
    await context.close();
  });
});

describe.each(ADAPTERS)('strict: false without configureBastion (%s)', (adapter) => {
  let running: RunningApp;
  let before: number;
  const warnings = () => capturedLines().filter((l) => l.text.includes('"configureBastion(app)" was not called'));
  beforeAll(async () => {
    before = warnings().length;
    running = await startApp(hardeningModule({ strict: false }), adapter, (app) => app.useLogger(testLogger()));
  });
  afterAll(() => running?.close());

  it('starts with one warning naming the fix', () => {
    expect(warnings().length - before).toBe(1);
    expect(warnings().at(-1)!.text).toContain('strict: false');
  });

  it('still applies the request-level rules through the module middleware', async () => {
    const ok = await fetch(`${running.url}/h/ok`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(ok.headers.get('x-request-id')).toBeTruthy();
    expect((await fetch(`${running.url}/h/private`)).status).toBe(401);
    expect((await fetch(`${running.url}/h/query?__proto__[x]=1`)).status).toBe(400);
    const missing = await fetch(`${running.url}/h/nowhere`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });
});

// NestFactory's default `abortOnError` turns an `app.get()` of a missing provider into process.exit(1):
// configureBastion(app) looked up the gateway's streamed routes that way, and every app without a gateway died.
describe.each(ADAPTERS)('configureBastion on an app created with the NestFactory defaults, without a gateway (%s)', (adapter) => {
  it('configures the app without exiting, and the app answers', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
      throw new Error(`process.exit(${code})`);
    }) as never);
    const app = await NestFactory.create(AppModule, adapterOf(adapter), { logger: false });
    try {
      configureBastion(app);
      await app.listen(0, '127.0.0.1');
      expect((await fetch(`${await app.getUrl()}/open`)).status).toBe(200);
      expect(exit).not.toHaveBeenCalled();
    } finally {
      exit.mockRestore();
      await app.close();
    }
  });
});
