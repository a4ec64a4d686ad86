/**
 * The floor: bare Nest with the same routes and nothing else (no guard, pipe, header or limit). The DTO
 * is declared but not validated, since no pipe is registered; the protected route is not protected.
 */
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { itemsController } from './items.js';
import type { Adapter } from './apps.js';

@Module({ controllers: [itemsController()] })
class BareModule {}

export async function createBareApp(adapter: Adapter): Promise<INestApplication> {
  return NestFactory.create(BareModule, adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
}
