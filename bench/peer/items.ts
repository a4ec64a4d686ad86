/**
 * The routes every peer-benchmark app serves, built by one function so they are the same everywhere:
 * a small `GET` (public and protected) and a `POST` whose body is a validated DTO. Each app adds only
 * its own access decorators.
 */
import { Body, Controller, Get, HttpCode, Post, type Type } from '@nestjs/common';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

/** Body of `POST /items`. */
export class CreateItemDto {
  @IsString()
  @Length(1, 100)
  name!: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  quantity!: number;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  tags?: string[];
}

/** What `GET /items/public` and `GET /items/protected` return. */
export const ITEM = { id: 1, name: 'widget', quantity: 3, tags: ['a', 'b'] } as const;

/** A body every app accepts (201). */
export const VALID_BODY = JSON.stringify({ name: 'widget', quantity: 3, tags: ['a', 'b'] });
/** A body the validating apps refuse (400): empty name, quantity not a number. */
export const INVALID_BODY = JSON.stringify({ name: '', quantity: 'three' });

/** What `POST /items` returns. */
export function created(dto: CreateItemDto): { id: number; name: string; quantity: number; tags: string[] } {
  return { id: 2, name: dto.name, quantity: dto.quantity, tags: dto.tags ?? [] };
}

export const PATHS = { public: '/items/public', protected: '/items/protected', create: '/items' } as const;

/** Decorators an app puts on each route, besides the routing ones. */
export interface RouteAccess {
  open?: MethodDecorator[];
  secured?: MethodDecorator[];
  create?: MethodDecorator[];
}

/**
 * `GET /items/public`, `GET /items/protected` and `POST /items` (201, `@Body() dto: CreateItemDto`),
 * with `access` added per route.
 */
export function itemsController(access: RouteAccess = {}): Type {
  class ItemsController {
    open() {
      return ITEM;
    }

    secured() {
      return ITEM;
    }

    create(dto: CreateItemDto) {
      return created(dto);
    }
  }
  const proto = ItemsController.prototype;
  const decorate = (method: keyof RouteAccess, decorators: MethodDecorator[]) =>
    Object.defineProperty(proto, method, Reflect.decorate(decorators, proto, method, Object.getOwnPropertyDescriptor(proto, method)) as PropertyDescriptor);
  decorate('open', [Get('public'), ...(access.open ?? [])]);
  decorate('secured', [Get('protected'), ...(access.secured ?? [])]);
  // What a compiler emits for `create(@Body() dto: CreateItemDto)`: the DTO type is what the pipe validates against.
  Reflect.defineMetadata('design:paramtypes', [CreateItemDto], proto, 'create');
  Body()(proto, 'create', 0);
  decorate('create', [Post(), HttpCode(201), ...(access.create ?? [])]);
  Controller('items')(ItemsController);
  return ItemsController;
}
