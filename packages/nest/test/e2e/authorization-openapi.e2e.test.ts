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
  RouteSecurityMap,
  UsePolicy,
  applyBastionSecurity,
  configureBastion,
  createBastionDocument,
  type Authenticator,
  type BastionOptions,
  type OpenApiDocumentLike,
  type Policy,
} from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { ServiceKeyAuthenticator } from '../support/service-key.authenticator.js';

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

@Controller('partners')
@Boundary('partners')
class PartnersController {
  @Get('feed')
  @Authenticated()
  feed() {
    return {};
  }
}

/** A custom credential without an OpenAPI scheme: OpenAPI cannot describe it, `x-bastion` names it. */
const partnerToken: Authenticator = {
  credential: 'partner-token',
  isPresented: (ctx) => ctx.header('x-partner-token') !== undefined,
  authenticate: () => Promise.reject(new Error('not used here')),
};

const custom: BastionOptions = { authenticators: [new ServiceKeyAuthenticator(), partnerToken] };
const boundaries: BastionOptions = {
  boundaries: { public: { accept: ['jwt'] }, internal: { accept: ['service-key'] }, partners: { accept: ['partner-token'] } },
  defaultBoundary: 'public',
};

/** The app under test: `issuer`'s JWTs (with discovery, or through its JWKS only) and two custom credentials. */
function appModule(options: BastionOptions) {
  @Module({
    imports: [BastionModule.forRoot({ realm: 'orders', ...custom, ...options }) as DynamicModule],
    controllers: [OrdersController, InternalController, PartnersController],
    providers: [OwnerPolicy],
  })
  class AppModule {}
  return AppModule;
}

type Operation = { security?: unknown; 'x-bastion'?: unknown };
const op = (doc: OpenApiDocumentLike, path: string, method: string) => (doc.paths[path] as Record<string, Operation> | undefined)?.[method] as Operation;
const serviceKeyScheme = { type: 'apiKey', in: 'header', name: 'X-Service-Key' };

describe.each(ADAPTERS)('authorization: OpenAPI security requirements (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  let doc: OpenApiDocumentLike;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    running = await startApp(appModule({ jwt: issuer.options({ discovery: true }), ...boundaries }), adapter, (app) => {
      configureBastion(app);
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
    expect(op(doc, '/api/orders/{id}', 'get')['x-bastion']).toEqual({ boundary: 'public', policies: ['OwnerPolicy'] });
    // Any-of: one alternative per way to meet the requirement (OpenAPI ORs the array).
    expect(op(doc, '/api/orders', 'post').security).toEqual([{ oidc: ['orders:read', 'orders:write'] }, { oidc: ['orders:read', 'orders:admin'] }]);
    expect(op(doc, '/api/orders', 'post')['x-bastion']).toEqual({ boundary: 'public', roles: [['clerk']] });
  });

  it('marks public routes as needing no security and internal routes with their boundary schemes', () => {
    expect(op(doc, '/api/orders/health', 'get').security).toEqual([]);
    expect(op(doc, '/api/orders/health', 'get')['x-bastion']).toEqual({ boundary: 'public' });
    expect(op(doc, '/api/internal/reindex', 'post').security).toEqual([{ serviceKey: [] }]);
    expect(op(doc, '/api/internal/reindex', 'post')['x-bastion']).toEqual({ boundary: 'internal' });
    expect(JSON.stringify(op(doc, '/api/internal/reindex', 'post').security)).not.toContain('oidc');
  });

  it('names a credential OpenAPI cannot describe under x-bastion instead of inventing a scheme', () => {
    // No `security` at all: an empty list would tell readers the route needs none.
    expect(op(doc, '/api/partners/feed', 'get').security).toBeUndefined();
    expect(op(doc, '/api/partners/feed', 'get')['x-bastion']).toEqual({ boundary: 'partners', credentials: ['partner-token'] });
  });

  it('declares exactly the schemes of configured credentials that routes accept', () => {
    expect(doc.components?.securitySchemes).toEqual({
      oidc: { type: 'openIdConnect', openIdConnectUrl: `${issuer.issuer}/.well-known/openid-configuration`, description: `Access tokens of ${issuer.issuer}` },
      serviceKey: serviceKeyScheme,
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

  it('from the route map alone, a route whose credentials have no authenticator gets no satisfiable requirement', () => {
    const fromMap = applyBastionSecurity(JSON.parse(JSON.stringify(doc)) as OpenApiDocumentLike, running.app.get(RouteSecurityMap));
    expect(op(fromMap, '/api/orders/health', 'get').security).toEqual([]);
    expect(op(fromMap, '/api/internal/reindex', 'post').security).toBeUndefined();
    expect(op(fromMap, '/api/internal/reindex', 'post')['x-bastion']).toEqual({ boundary: 'internal', accepts: ['service-key'], unsatisfiable: true });
  });

  it('declares no bearer scheme when no JWT issuer is configured', async () => {
    const noJwt = await startApp(appModule({ boundaries: { internal: { accept: ['service-key'] }, partners: { accept: ['partner-token'] } } }), adapter);
    try {
      const document = await createBastionDocument(noJwt.app);
      expect(JSON.stringify(document)).not.toMatch(/bearer|oidc/);
      // No boundary: every configured credential is accepted, each described as far as OpenAPI can.
      expect((document.paths['/orders'] as Record<string, Operation>).get!.security).toEqual([{ serviceKey: [] }]);
      expect((document.paths['/orders'] as Record<string, Operation>).get!['x-bastion']).toEqual({ credentials: ['partner-token'], scopes: ['orders:read'] });
    } finally {
      await noJwt.close();
    }
  });

  it('an issuer without discovery gets plain bearer with an empty scope list, the scopes stated in x-bastion', async () => {
    const app = await NestFactory.create(appModule({ jwt: issuer.options(), ...boundaries }), adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
    configureBastion(app);
    try {
      const early = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('Orders').build());
      // Works on a document built before app.init() (the usual main.ts order).
      applyBastionSecurity(early, app);
      const get = early.paths['/orders']?.get as Operation | undefined;
      expect(get?.security).toEqual([{ bearer: [] }]);
      expect(get?.['x-bastion']).toEqual({ boundary: 'public', scopes: ['orders:read'] });
      expect((early.paths['/orders']?.post as Operation | undefined)?.['x-bastion']).toEqual({ boundary: 'public', scopes: ['orders:read'], anyScopes: [['orders:write', 'orders:admin']], roles: [['clerk']] });
      expect(early.components?.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, serviceKey: serviceKeyScheme });
      await app.init();
    } finally {
      await app.close();
    }
  });
});
