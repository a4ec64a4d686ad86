/**
 * The app measured by public-route.ts (a child process, so the load generator does not share its event
 * loop): one `@Public()` route, under plain NestJS ("bare") or under a Bastion build with its defaults —
 * configureBastion, every guard, the audit log — except limits raised out of the load generator's reach.
 * Usage: node --import @swc-node/register/esm-register public-route-app.ts <express|fastify> <bare|path to a Bastion dist/esm/index.js>
 * Reports its port, then its CPU time on request, over IPC.
 */
import 'reflect-metadata';
import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { serveForBench } from './serve-for-bench.js';
import { pathToFileURL } from 'node:url';

const adapter = process.argv[2] === 'express' ? 'express' : 'fastify';
const variant = process.argv[3] ?? 'bare';
const bastion = variant === 'bare' ? undefined : ((await import(pathToFileURL(variant).href)) as typeof import('../packages/nest/src/index.js'));
const noDecision = () => () => undefined;
const Public = bastion?.Public ?? noDecision;

@Controller()
class PublicController {
  @Get('public')
  @Public()
  open() {
    return { ok: true };
  }
}

const imports: DynamicModule[] = bastion
  ? [bastion.BastionModule.forRoot({ throttle: { anonymous: { limit: 1_000_000_000, ttl: 60_000 } }, bruteForce: { maxFailures: 1_000_000_000 } })]
  : [];

@Module({ imports, controllers: [PublicController] })
class BenchModule {}

const app = await NestFactory.create(BenchModule, adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
bastion?.configureBastion(app);
await serveForBench(app);
