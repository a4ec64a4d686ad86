/**
 * The apps measured by gateway.ts, each in its own child process:
 *   upstream                 a plain Node HTTP server answering `{"ok":true}` (the service behind the gateway)
 *   <express|fastify> <url>  a Bastion gateway proxying `/svc/*` to <url>: Bastion's defaults (configureBastion,
 *                            every guard, audit log), a `@Public()` upstream, limits out of the load generator's reach
 * Reports its port, then its CPU time on request, over IPC.
 */
import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { createServer } from 'node:http';
import { BastionModule, configureBastion } from '../packages/nest/dist/esm/index.js';
import { BastionGatewayModule } from '../packages/nest/dist/esm/gateway/index.js';
import { serveForBench } from './serve-for-bench.js';

const role = process.argv[2] ?? 'upstream';

if (role === 'upstream') {
  const body = JSON.stringify({ ok: true });
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body));
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as { port: number }).port }));
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpu: user + system });
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
} else {
  @Module({
    imports: [
      BastionModule.forRoot({ throttle: { anonymous: { limit: 1_000_000_000, ttl: 60_000 } }, bruteForce: { maxFailures: 1_000_000_000 } }) as DynamicModule,
      BastionGatewayModule.forRoot({
        upstreams: { svc: { url: process.argv[3]!, prefix: '/svc', public: true, credential: 'none', allowInsecureHttp: true, concurrency: 256 } },
      }),
    ],
  })
  class GatewayBenchModule {}

  const app = await NestFactory.create(GatewayBenchModule, role === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
  configureBastion(app);
  await serveForBench(app);
}
