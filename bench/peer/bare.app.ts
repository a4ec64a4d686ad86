/**
 * The floor: bare Nest with the same routes and nothing else (no guard, pipe, header or limit). The DTO
 * is declared but not validated, since no pipe is registered; the protected route is not protected.
 */
import { Body, Controller, Get, HttpCode, Module, Post, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { CreateItemDto, ITEM, created } from './items.js';
import type { Adapter } from './apps.js';

@Controller('items')
class ItemsController {
  @Get('public')
  open() {
    return ITEM;
  }

  @Get('protected')
  secured() {
    return ITEM;
  }

  @Post()
  @HttpCode(201)
  create(@Body() dto: CreateItemDto) {
    return created(dto);
  }
}

@Module({ controllers: [ItemsController] })
class BareModule {}

export async function createBareApp(adapter: Adapter): Promise<INestApplication> {
  return NestFactory.create(BareModule, adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
}
