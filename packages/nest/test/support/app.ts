import { type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { configureBastion } from '../../src/index.js';
import { testLogger } from './log-capture.js';

export type AdapterName = 'express' | 'fastify';

/** Both adapters, for `describe.each(ADAPTERS)` over every e2e suite. */
export const ADAPTERS: AdapterName[] = ['express', 'fastify'];

/** TLS settings of an HTTPS test app (Node's TLS server options), PEM strings. */
export interface TestHttpsOptions {
  key: string;
  cert: string;
  ca?: string | string[];
  requestCert?: boolean;
  rejectUnauthorized?: boolean;
}

export interface RunningApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/**
 * Boots `module` on a real HTTP server on 127.0.0.1 (random port) with the given adapter, runs
 * `configure` before listening — `configureBastion` by default, as every app must; a custom one calls
 * it too — and returns its base URL. With `https` (Node's TLS server options), it serves HTTPS: Express
 * through `httpsOptions`, Fastify through its adapter's `https` option, as an app would.
 */
export async function startApp(
  module: Type<unknown>,
  adapter: AdapterName,
  configure: (app: INestApplication) => void | Promise<void> = configureBastion,
  https?: TestHttpsOptions,
): Promise<RunningApp> {
  const httpAdapter = adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(https ? { https } : undefined);
  const app = await NestFactory.create(module, httpAdapter, {
    // Real logging, so the log-capture check (test/support/log-capture.setup.ts) sees what the app would print.
    logger: testLogger(),
    abortOnError: false,
    ...(https && adapter === 'express' ? { httpsOptions: https } : {}),
  });
  await configure(app);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `${https ? 'https' : 'http'}://127.0.0.1:${address.port}`, close: () => app.close() };
}

/**
 * The error `module` fails to boot with (`init()`, after `configureBastion` and `prepare`); throws if it
 * boots. For the boot checks of strict mode, options and credentials.
 */
export async function bootError(module: Type<unknown>, adapter: AdapterName, prepare?: (app: INestApplication) => void): Promise<Error> {
  const app = await NestFactory.create(module, adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false, abortOnError: false });
  configureBastion(app);
  prepare?.(app);
  try {
    await app.init();
  } catch (error) {
    return error as Error;
  } finally {
    await app.close().catch(() => undefined);
  }
  throw new Error('app booted');
}

/** Asserts the invariants of every error body: problem+json, no stack, no library message, no path. */
export function problemInvariants(res: Response, body: string): string[] {
  const problems: string[] = [];
  if (!res.headers.get('content-type')?.startsWith('application/problem+json')) problems.push(`content-type ${res.headers.get('content-type')}`);
  if (/\bat [\w$.<>]+ \(|node_modules|\/src\/|\.ts:\d|\.js:\d/.test(body)) problems.push('stack or file path in body');
  if (/jwt malformed|invalid signature|jwt expired|Unexpected token|JSON at position|Cannot (GET|POST)/i.test(body)) problems.push('library message in body');
  if (!res.headers.get('x-request-id')) problems.push('no X-Request-Id');
  return problems;
}
