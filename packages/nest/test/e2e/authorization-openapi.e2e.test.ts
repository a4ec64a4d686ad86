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
import { TestIssuer } from '../../src/testing/index.js';
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

/** The app under test, trusting `issuer` (with discovery, or through its JWKS only). */
function appModule(issuer: TestIssuer, discovery: boolean) {
  @Module({
    imports: [
      BastionModule.forRoot({
        realm: 'orders',
        jwt: issuer.options(discovery ? { discovery: true } : {}),
        boundaries: { internal: { accept: ['signature', 'mtls'] } },
      }) as DynamicModule,
    ],
    controllers: [OrdersController, InternalController],
    providers: [OwnerPolicy],
  })
  class AppModule {}
  return AppModule;
}

type Operation = { security?: unknown; 'x-bastion'?: unknown };
const op = (doc: OpenApiDocumentLike, path: string, method: string) => (doc.paths[path] as Record<string, Operation> | undefined)?.[method] as Operation;

describe.each(ADAPTERS)('authorization: OpenAPI security requirements (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  let doc: OpenApiDocumentLike;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    running = await startApp(appModule(issuer, true), adapter, (app) => {
      app.setGlobalPrefix('api');
    });
    // Round-trip through JSON: the assertions are on the document as served.
    doc = JSON.parse(JSON.stringify(await createBastionDocument(running.app, { title: 'Orders', version: '1' }))) as OpenApiDocumentLike;
  });
  afterAll(async () => {
    await running?.close();
    await issuer?.close();
  });

  it("lists each route's scopes on the issuer's openIdConnect scheme, without swagger decorators", () => {
    expect(op(doc, '/api/orders', 'get').security).toEqual([{ oidc: ['orders:read'] }]);
    expect(op(doc, '/api/orders/{id}', 'get').security).toEqual([{ oidc: ['orders:read'] }]);
    expect(op(doc, '/api/orders/{id}', 'get')['x-bastion']).toEqual({ policies: ['OwnerPolicy'] });
    // Any-of: one alternative per way to meet the requirement (OpenAPI ORs the array).
    expect(op(doc, '/api/orders', 'post').security).toEqual([{ oidc: ['orders:read', 'orders:write'] }, { oidc: ['orders:read', 'orders:admin'] }]);
    expect(op(doc, '/api/orders', 'post')['x-bastion']).toEqual({ roles: [['clerk']] });
  });

  it('marks public routes as needing no security; a route whose credentials have no authenticator gets no satisfiable requirement', () => {
    expect(op(doc, '/api/orders/health', 'get').security).toEqual([]);
    expect(op(doc, '/api/orders/health', 'get')['x-bastion']).toBeUndefined();
    expect(op(doc, '/api/internal/reindex', 'post').security).toBeUndefined();
    expect(op(doc, '/api/internal/reindex', 'post')['x-bastion']).toEqual({ boundary: 'internal', accepts: ['signature', 'mtls'], unsatisfiable: true });
  });

  it('declares exactly the schemes of credentials that exist', () => {
    expect(doc.components?.securitySchemes).toEqual({
      oidc: { type: 'openIdConnect', openIdConnectUrl: `${issuer.issuer}/.well-known/openid-configuration`, description: `Access tokens of ${issuer.issuer}` },
    });
  });

  it('declares an oauth2 scheme with every scope the routes use when a token URL is configured', async () => {
    const oauth2 = await createBastionDocument(running.app, {}, { issuers: { [issuer.issuer]: { tokenUrl: `${issuer.issuer}/token`, schemeName: 'orders' } } });
    expect(op(oauth2, '/api/orders', 'get').security).toEqual([{ orders: ['orders:read'] }]);
    expect(oauth2.components?.securitySchemes?.orders).toEqual({
      type: 'oauth2',
      description: `Access tokens of ${issuer.issuer}`,
      flows: { clientCredentials: { tokenUrl: `${issuer.issuer}/token`, scopes: { 'orders:admin': 'Scope orders:admin', 'orders:read': 'Scope orders:read', 'orders:write': 'Scope orders:write' } } },
    });
  });

  it('an issuer without discovery gets plain bearer with an empty scope list, the scopes stated in x-bastion', async () => {
    const app = await NestFactory.create(appModule(issuer, false), adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
    try {
      const early = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('Orders').build());
      // Works on a document built before app.init() (the usual main.ts order).
      applyBastionSecurity(early, app);
      const get = early.paths['/orders']?.get as Operation | undefined;
      expect(get?.security).toEqual([{ bearer: [] }]);
      expect(get?.['x-bastion']).toEqual({ scopes: ['orders:read'] });
      expect((early.paths['/orders']?.post as Operation | undefined)?.['x-bastion']).toEqual({ scopes: ['orders:read'], anyScopes: [['orders:write', 'orders:admin']], roles: [['clerk']] });
      expect(early.components?.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } });
      await app.init();
    } finally {
      await app.close();
    }
  });
});
