import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { BASTION_OPTIONS } from '../core/constants.js';
import { runBastionGuardsFirst } from '../core/guard-order.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import { validateTransportOptions } from './validate-transport-options.js';
import { installClientErrorHandler, installProtocolChecks } from './client-error.js';
import { configureExpress } from './express-transport.js';
import { configureFastify } from './fastify-transport.js';
import { resolveTransport } from './resolved-transport.js';

/**
 * Adapter-level hardening, for Express and Fastify alike; call it after `NestFactory.create()` and
 * before `listen()`/`init()`. Reads the options given to `BastionModule` (or `options`, which take
 * precedence): body size limit (413) with JSON depth/key limits and prototype-key rejection, raw body
 * kept as `req.rawBody`, bounded query parsing, content-type allow-list, security headers without
 * `X-Powered-By`/`Server`, HTTPS and CORS before any body is read, and server timeouts. Bastion's global
 * guards then run before the app's own `APP_GUARD`s.
 *
 * @example
 * ```ts
 * const app = await NestFactory.create(AppModule);
 * configureBastion(app);
 * await app.listen(3000);
 * ```
 */
export function configureBastion(app: INestApplication, options?: BastionOptions): void {
  let moduleOptions: BastionOptions = {};
  try {
    moduleOptions = app.get<BastionOptions>(BASTION_OPTIONS, { strict: false });
  } catch {
    // BastionModule not imported: the explicit options (or the defaults) apply.
  }
  const merged = options ? validateTransportOptions({ ...moduleOptions, ...options }) : moduleOptions;
  const t = resolveTransport(merged);
  const adapter = app.getHttpAdapter() as unknown as { getType(): string; getInstance(): unknown };
  if (adapter.getType() === 'fastify') configureFastify(adapter as never, t);
  else configureExpress(adapter.getInstance() as never, t);

  const server = app.getHttpServer() as Server;
  server.requestTimeout = t.timeouts.request;
  server.headersTimeout = Math.min(t.timeouts.headers, t.timeouts.request);
  server.keepAliveTimeout = t.timeouts.keepAlive;
  installClientErrorHandler(server, t.headers);
  installProtocolChecks(server, t.headers);
  runBastionGuardsFirst(app);
}
