import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { Server } from 'node:http';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import { runBastionGuardsFirst } from '../core/guard-order.js';
import { BastionConfigError } from '../options/assert.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import { resolveConfig } from '../options/resolve-config.js';
import { installClientErrorHandler, installProtocolChecks } from './client-error.js';
import { markConfigured, isConfigured } from './configured-marker.js';
import { configureExpress } from './express-transport.js';
import type { RequestCheck } from './fastify-router-guard.js';
import { configureFastify } from './fastify-transport.js';
import { resolveTransport } from './resolved-transport.js';
import { STREAMED_BODY_ROUTES, type StreamedBodyRoutes } from './streamed-body.js';
import { validateTransportOptions } from './validate-transport-options.js';

/** Transport options `configureBastion(app, overrides)` may set over the module's. */
export type TransportOverrides = Pick<BastionOptions, 'headers' | 'cors' | 'https' | 'contentTypes' | 'limits' | 'timeouts'>;

const OVERRIDABLE: ReadonlySet<string> = new Set(['headers', 'cors', 'https', 'contentTypes', 'limits', 'timeouts']);

function configOf(app: INestApplication): BastionConfig {
  try {
    return app.get<BastionConfig>(BASTION_CONFIG, { strict: false });
  } catch {
    // BastionModule not imported: the defaults apply.
    return resolveConfig({});
  }
}

/**
 * The gateway's streamed routes, if a module provides them. Looked up in the module container, not with
 * `app.get()`: under NestFactory's default `abortOnError`, a `get()` of a missing provider exits the process
 * instead of throwing, and most apps have no gateway.
 */
function streamedBodyRoutes(app: INestApplication): StreamedBodyRoutes | undefined {
  for (const module of app.get(ModulesContainer).values()) {
    const provider = module.providers.get(STREAMED_BODY_ROUTES);
    if (provider !== undefined) return provider.instance as StreamedBodyRoutes;
  }
  return undefined;
}

/**
 * Adapter-level hardening, for Express and Fastify alike; call it once, after `NestFactory.create()`
 * and before `listen()`/`init()` — `BastionModule` refuses to start without it (strict mode). Reads the
 * configuration `BastionModule` resolved (or `overrides`, which take precedence for the transport
 * options): body size limit (413) with JSON depth/key limits and prototype-key rejection, raw body kept
 * as `req.rawBody`, bounded query parsing, content-type allow-list, security headers without
 * `X-Powered-By`/`Server`, HTTPS and CORS before any body is read, request ids, and server timeouts.
 * Bastion's global guards then run before the app's own `APP_GUARD`s.
 *
 * @example
 * ```ts
 * const app = await NestFactory.create(AppModule);
 * configureBastion(app);
 * await app.listen(3000);
 * ```
 */
export function configureBastion(app: INestApplication, overrides?: TransportOverrides): void {
  const adapter = app.getHttpAdapter() as unknown as { getType(): string; getInstance(): unknown };
  if (isConfigured(adapter)) throw new Error('Bastion: configureBastion(app) was already applied to this app');
  const config = configOf(app);
  let transport = config.transport;
  if (overrides !== undefined) {
    for (const key of Object.keys(overrides)) {
      if (!OVERRIDABLE.has(key)) throw new BastionConfigError(`configureBastion.${key}`, 'cannot be set here: give it to BastionModule.forRoot()');
    }
    transport = resolveTransport(validateTransportOptions({ ...config.options, ...overrides }));
  }
  let check: RequestCheck | undefined;
  const streamed = streamedBodyRoutes(app);
  if (adapter.getType() === 'fastify') check = configureFastify(adapter as never, transport, config, streamed);
  else configureExpress(adapter.getInstance() as never, transport, config, streamed);

  const server = app.getHttpServer() as Server;
  server.requestTimeout = transport.timeouts.request;
  server.headersTimeout = Math.min(transport.timeouts.headers, transport.timeouts.request);
  server.keepAliveTimeout = transport.timeouts.keepAlive;
  installClientErrorHandler(server, transport.headers);
  installProtocolChecks(server, transport.headers, check);
  runBastionGuardsFirst(app);
  markConfigured(adapter);
}
