import { Body, Controller, Get, Injectable, Module, Param, Post, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Authenticated,
  BastionModule,
  Boundary,
  Public,
  RequireAnyScope,
  RequireScopes,
  Roles,
  UsePolicy,
  applyBastionSecurity,
  createBastionDocument,
  type OpenApiDocumentLike,
  type Policy,
} from '../../src/index.js';
import { TestSigner } from '../../src/testing/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';

@Injectable()
class OwnerPolicy implements Policy {
  evaluate() {
    return true;
  }
}

@Controller('orders')
@RequireScopes('orders:read')
class OrdersController {
  @Get()
  list() {
    return [];
  }

  @Get(':id')
  @UsePolicy(OwnerPolicy)
  findOne(@Param('id') id: string) {
    return { id };
  }

  @Post()
  @RequireAnyScope('orders:write', 'orders:admin')
  @Roles('clerk')
  create(@Body() _body: unknown) {
    return {};
  }

  @Get('health')
  @Public()
  health() {
    return {};
  }
}

@Controller('internal')
@Boundary('internal')
class InternalController {
  @Post('reindex')
  @Authenticated()
  reindex() {
    return {};
  }
}

@Module({
  imports: [
    BastionModule.forRoot({
      realm: 'orders',
      jwt: { issuer: 'https://id.example.com', audience: 'orders', jwksUri: 'https://id.example.com/jwks' },
      // A boundary may only name configured credential types; signatures then also reach routes without a boundary.
      signature: { keys: [TestSigner.create({ keyid: 'svc' }).keyOptions()] },
      boundaries: { internal: { accept: ['signature', 'mtls'] } },
    }) as DynamicModule,
  ],
  controllers: [OrdersController, InternalController],
  providers: [OwnerPolicy],
})
class AppModule {}

type Operation = { security?: unknown; 'x-bastion'?: unknown };
const op = (doc: OpenApiDocumentLike, path: string, method: string) => (doc.paths[path] as Record<string, Operation> | undefined)?.[method] as Operation;

describe.each(ADAPTERS)('authorization: OpenAPI security requirements (%s)', (adapter) => {
  let running: RunningApp;
  let doc: OpenApiDocumentLike;
  beforeAll(async () => {
    running = await startApp(AppModule, adapter, (app) => {
      app.setGlobalPrefix('api');
    });
    // Round-trip through JSON: the assertions are on the document as served.
    doc = JSON.parse(JSON.stringify(await createBastionDocument(running.app, { title: 'Orders', version: '1' }))) as OpenApiDocumentLike;
  });
  afterAll(() => running?.close());

  it("lists each route's scopes on every configured scheme, without swagger decorators", () => {
    expect(op(doc, '/api/orders', 'get').security).toEqual([{ bearer: ['orders:read'] }, { httpSignature: ['orders:read'] }]);
    expect(op(doc, '/api/orders/{id}', 'get').security).toEqual([{ bearer: ['orders:read'] }, { httpSignature: ['orders:read'] }]);
    expect(op(doc, '/api/orders/{id}', 'get')['x-bastion']).toEqual({ policies: ['OwnerPolicy'] });
    // Any-of: one alternative per way to meet the requirement (OpenAPI ORs the array).
    expect(op(doc, '/api/orders', 'post').security).toEqual([
      { bearer: ['orders:read', 'orders:write'] },
      { bearer: ['orders:read', 'orders:admin'] },
      { httpSignature: ['orders:read', 'orders:write'] },
      { httpSignature: ['orders:read', 'orders:admin'] },
    ]);
    expect(op(doc, '/api/orders', 'post')['x-bastion']).toEqual({ roles: [['clerk']] });
  });

  it('marks public routes as needing no security and internal routes with their boundary schemes', () => {
    expect(op(doc, '/api/orders/health', 'get').security).toEqual([]);
    expect(op(doc, '/api/orders/health', 'get')['x-bastion']).toBeUndefined();
    expect(op(doc, '/api/internal/reindex', 'post').security).toEqual([{ httpSignature: [] }, { mutualTLS: [] }]);
    expect(op(doc, '/api/internal/reindex', 'post')['x-bastion']).toEqual({ boundary: 'internal' });
    expect(JSON.stringify(op(doc, '/api/internal/reindex', 'post').security)).not.toContain('bearer');
  });

  it('declares exactly the schemes it uses', () => {
    expect(doc.components?.securitySchemes).toEqual({
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      httpSignature: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'Signature' }),
      mutualTLS: expect.objectContaining({ type: 'mutualTLS' }),
    });
  });

  it('works on a document built before app.init() (the usual main.ts order)', async () => {
    const app = await NestFactory.create(AppModule, adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
    try {
      const early = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('Orders').build());
      applyBastionSecurity(early, app);
      expect((early.paths['/orders']?.get as Operation | undefined)?.security).toEqual([{ bearer: ['orders:read'] }, { httpSignature: ['orders:read'] }]);
      await app.init();
    } finally {
      await app.close();
    }
  });
});
