/**
 * The app measured by auth-overhead.ts (run as a child process so the load generator does not share its
 * event loop): one `@Public()` route and the same route behind bearer-JWT authentication.
 * Usage: node --import @swc-node/register/esm-register auth-overhead-app.ts <express|fastify> [audit-on|audit-no-successes|audit-off]  (env BENCH_JWT, BENCH_DPOP)
 * Started by auth-overhead.ts with an IPC channel: it reports its port with process.send().
 */
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { serveForBench } from './serve-for-bench.js';
import { Authenticated, BastionModule, Public, configureBastion, type BastionOptions, type JwtIssuerOptions } from '../packages/nest/src/index.js';

const adapter = process.argv[2] === 'express' ? 'express' : 'fastify';
const jwt = JSON.parse(process.env.BENCH_JWT ?? '{}') as JwtIssuerOptions;
const AUDIT_MODES: Record<string, object> = {
  'audit-on': { audit: { successes: true } },
  'audit-no-successes': {}, // the default
  'audit-off': { audit: { sink: false } },
};
const audit = AUDIT_MODES[process.argv[3] ?? ''] ?? {};

@Controller()
class BenchController {
  @Get('public')
  @Public()
  open() {
    return { ok: true };
  }

  @Get('protected')
  @Authenticated()
  secured() {
    return { ok: true };
  }
}

// Throttling and brute-force blocking are off: this measures authentication, not the rate limits
// (the load generator is one client that would be throttled within a second).
// BENCH_DPOP (JSON `dpop` options) turns DPoP on, for sender-constraint.ts.
const dpop = process.env.BENCH_DPOP ? { dpop: JSON.parse(process.env.BENCH_DPOP) as object } : {};
@Module({ imports: [BastionModule.forRoot({ jwt, throttle: { enabled: false }, bruteForce: { enabled: false }, ...audit, ...dpop } as BastionOptions)], controllers: [BenchController] })
class BenchModule {}

const app = await NestFactory.create(BenchModule, adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
configureBastion(app);
await serveForBench(app);
