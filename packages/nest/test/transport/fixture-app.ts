import { Body, Controller, Get, Header, Module, Post, Query, Req, Res, type Type as ClassType } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Authenticated, BastionModule, Public, SecurityHeaders, ValidatedHeaders, ValidatedQuery, type BastionOptions } from '../../src/index.js';

export class ItemDto {
  @IsString() @MaxLength(100) name!: string;
}

export class OrderDto {
  @IsString() @MaxLength(10_000) name!: string;
  @IsOptional() @IsInt() @Min(0) @Max(1000) quantity?: number;
  @IsOptional() @IsIn(['user', 'admin']) role?: string;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => ItemDto) items?: ItemDto[];
}

export class TenantHeaders {
  @IsUUID() xTenantId!: string;
}

export class PageQuery {
  @Type(() => Number) @IsInt() @Min(1) @Max(100) limit!: number;
  @IsOptional() @IsString() @MaxLength(50) q?: string;
}

interface RawNodeResponse {
  writeHead(status: number, ...rest: unknown[]): unknown;
  end(body: string): unknown;
}

/** Routes for every response class the hardening suites assert on. */
@Controller('h')
export class HardeningController {
  @Get('ok')
  @Public()
  ok() {
    return { ok: true };
  }

  @Get('private')
  @Authenticated()
  private() {
    return { secret: true };
  }

  @Get('boom')
  @Public()
  boom(): never {
    throw new Error('internal detail /srv/app/x.ts:1');
  }

  @Post('echo')
  @Public()
  echo(@Body() body: unknown, @Req() req: { rawBody?: Buffer }) {
    return { type: Array.isArray(body) ? 'array' : typeof body, rawBytes: req.rawBody?.length ?? 0, polluted: ({} as Record<string, unknown>)['polluted'] ?? null };
  }

  @Post('orders')
  @Public()
  order(@Body() order: OrderDto) {
    return { name: order.name, quantity: order.quantity ?? null, instance: order instanceof OrderDto };
  }

  @Get('query')
  @Public()
  query(@Query() query: Record<string, unknown>) {
    return { keys: Object.keys(query) };
  }

  @Get('id')
  @Public()
  id(@Query('id') id: string, @Query('n') n?: number) {
    return { id, n: n ?? null };
  }

  @Get('page')
  @Public()
  page(@ValidatedQuery(PageQuery) page: PageQuery) {
    return { limit: page.limit, typeofLimit: typeof page.limit };
  }

  @Get('tenant')
  @Public()
  tenant(@ValidatedHeaders(TenantHeaders) headers: TenantHeaders) {
    return { tenant: headers.xTenantId, keys: Object.keys(headers) };
  }

  @Get('fingerprinted')
  @Public()
  @Header('Server', 'nginx/1.25.3')
  @Header('X-Powered-By', 'PHP/8.3')
  @Header('X-AspNet-Version', '4.0.30319')
  fingerprinted() {
    return { ok: true };
  }

  /** Fingerprinting headers handed to `writeHead()` itself, as an object or as Node's flat array. */
  @Get('fingerprinted-head')
  @Public()
  fingerprintedHead(@Query('form') form: string, @Res() reply: { raw?: RawNodeResponse; hijack?(): void } & RawNodeResponse) {
    reply.hijack?.();
    const res = reply.raw ?? reply;
    const body = '{"ok":true}';
    if (form === 'array') res.writeHead(200, ['Content-Type', 'application/json', 'Server', 'nginx/1.25.3', 'X-Powered-By', 'PHP/8.3', 'X-Runtime', '0.1']);
    else res.writeHead(200, 'OK', { 'content-type': 'application/json', Server: 'nginx/1.25.3', 'x-powered-by': 'PHP/8.3', 'X-Runtime': '0.1' });
    res.end(body);
  }

  @Get('framed')
  @Public()
  @SecurityHeaders({ 'X-Frame-Options': 'SAMEORIGIN', 'Cache-Control': false })
  framed() {
    return { ok: true };
  }

  @Get('framed-private')
  @Authenticated()
  @SecurityHeaders({ 'X-Frame-Options': 'SAMEORIGIN', 'Cache-Control': false })
  framedPrivate() {
    return { ok: true };
  }
}

/** A module with Bastion configured by `options` and the hardening routes. */
export function hardeningModule(options: BastionOptions = {}): ClassType<unknown> {
  @Module({ imports: [BastionModule.forRoot(options)], controllers: [HardeningController] })
  class HardeningAppModule {}
  return HardeningAppModule;
}
