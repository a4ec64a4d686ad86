/**
 * Bastion with its defaults (security headers, HTTPS rule, transport limits, strict validation, audit,
 * alerts, brute-force blocking, revocation checks), throttling on with budgets high enough never to
 * trigger for one load generator, and `configureBastion(app)`. Imports the built package
 * (`packages/nest/dist`), as an app would.
 */
import { Body, Controller, Get, HttpCode, Module, Post, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Authenticated, BastionModule, Public, configureBastion } from '@bastion/nest';
import type { Adapter, PeerJwt } from './apps.js';
import { CreateItemDto, ITEM, created } from './items.js';

const NEVER: { limit: number; ttl: number } = { limit: 1_000_000_000, ttl: 60_000 };

@Controller('items')
class ItemsController {
  @Get('public')
  @Public()
  open() {
    return ITEM;
  }

  @Get('protected')
  @Authenticated()
  secured() {
    return ITEM;
  }

  @Post()
  @HttpCode(201)
  @Authenticated()
  create(@Body() dto: CreateItemDto) {
    return created(dto);
  }
}

export async function createBastionApp(adapter: Adapter, jwt: PeerJwt): Promise<INestApplication> {
  @Module({
    imports: [BastionModule.forRoot({ jwt: { issuer: jwt.issuer, audience: jwt.audience, jwksUri: jwt.jwksUri }, throttle: { principal: NEVER, anonymous: NEVER } })],
    controllers: [ItemsController],
  })
  class BastionBenchModule {}

  const app = await NestFactory.create(BastionBenchModule, adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
  configureBastion(app);
  return app;
}
