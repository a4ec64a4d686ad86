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
  configureBastion,
  createBastionDocument,
  generateEd25519Jwk,
  type Authenticator,
  type BastionOptions,
  type OpenApiDocumentLike,
  type Policy,
} from '../../src/index.js';
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

const jwt: BastionOptions['jwt'] = { issuer: 'https://id.example.com', audience: 'orders', keys: generateEd25519Jwk().publicJwk as never, algorithms: ['EdDSA'] };

function appModule(options: BastionOptions): new () => unknown {
  @Module({
    imports: [BastionModule.forRoot({ realm: 'orders', ...options }) as DynamicModule],
    controllers: [OrdersController, InternalController, PartnersController],
    providers: [OwnerPolicy],
  })
  class AppModule {}
  return AppModule;
}

const AppModule = appModule({
  jwt,
  authenticators: [new ServiceKeyAuthenticator(), partnerToken],
  boundaries: { public: { accept: ['jwt'] }, internal: { accept: ['service-key'] }, partners: { accept: ['partner-token'] } },
  defaultBoundary: 'public',
});

type Operation = { security?: unknown; 'x-bastion'?: unknown };
const op = (doc: OpenApiDocumentLike, path: string, method: string) => (doc.paths[path] as Record<string, Operation> | undefined)?.[method] as Operation;

describe.each(ADAPTERS)('authorization: OpenAPI security requirements (%s)', (adapter) => {
  let running: RunningApp;
  let doc: OpenApiDocumentLike;
  beforeAll(async () => {
    running = await startApp(AppModule, adapter, (app) => {
      configureBastion(app);
      app.setGlobalPrefix('api');
    });
    // Round-trip through JSON: the assertions are on the document as served.
    doc = JSON.parse(JSON.stringify(await createBastionDocument(running.app, { title: 'Orders', version: '1' }))) as OpenApiDocumentLike;
  });
  afterAll(() => running?.close());

  it("lists each route's scopes on the bearer scheme, without swagger decorators", () => {
    expect(op(doc, '/api/orders', 'get').security).toEqual([{ bearer: ['orders:read'] }]);
    expect(op(doc, '/api/orders/{id}', 'get').security).toEqual([{ bearer: ['orders:read'] }]);
    expect(op(doc, '/api/orders/{id}', 'get')['x-bastion']).toEqual({ boundary: 'public', policies: ['OwnerPolicy'] });
    // Any-of: one alternative per way to meet the requirement (OpenAPI ORs the array).
    expect(op(doc, '/api/orders', 'post').security).toEqual([{ bearer: ['orders:read', 'orders:write'] }, { bearer: ['orders:read', 'orders:admin'] }]);
    expect(op(doc, '/api/orders', 'post')['x-bastion']).toEqual({ boundary: 'public', roles: [['clerk']] });
  });

  it('marks public routes as needing no security and internal routes with their boundary schemes', () => {
    expect(op(doc, '/api/orders/health', 'get').security).toEqual([]);
    expect(op(doc, '/api/orders/health', 'get')['x-bastion']).toEqual({ boundary: 'public' });
    expect(op(doc, '/api/internal/reindex', 'post').security).toEqual([{ serviceKey: [] }]);
    expect(op(doc, '/api/internal/reindex', 'post')['x-bastion']).toEqual({ boundary: 'internal' });
    expect(JSON.stringify(op(doc, '/api/internal/reindex', 'post').security)).not.toContain('bearer');
  });

  it('names a credential OpenAPI cannot describe under x-bastion instead of inventing a scheme', () => {
    expect(op(doc, '/api/partners/feed', 'get').security).toEqual([]);
    expect(op(doc, '/api/partners/feed', 'get')['x-bastion']).toEqual({ boundary: 'partners', credentials: ['partner-token'] });
  });

  it('declares exactly the schemes of configured credentials that routes accept', () => {
    expect(doc.components?.securitySchemes).toEqual({
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      serviceKey: { type: 'apiKey', in: 'header', name: 'X-Service-Key' },
    });
  });

  it('declares no bearer scheme when no JWT issuer is configured', async () => {
    const noJwt = await startApp(appModule({ authenticators: [new ServiceKeyAuthenticator(), partnerToken], boundaries: { internal: { accept: ['service-key'] }, partners: { accept: ['partner-token'] } } }), adapter);
    try {
      const document = await createBastionDocument(noJwt.app);
      expect(JSON.stringify(document)).not.toContain('bearer');
      // No boundary: every configured credential is accepted, each described as far as OpenAPI can.
      expect((document.paths['/orders'] as Record<string, Operation>).get!.security).toEqual([{ serviceKey: ['orders:read'] }]);
      expect((document.paths['/orders'] as Record<string, Operation>).get!['x-bastion']).toEqual({ credentials: ['partner-token'] });
    } finally {
      await noJwt.close();
    }
  });

  it('works on a document built before app.init() (the usual main.ts order)', async () => {
    const app = await NestFactory.create(AppModule, adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
    configureBastion(app);
    try {
      const early = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('Orders').build());
      applyBastionSecurity(early, app);
      expect((early.paths['/orders']?.get as Operation | undefined)?.security).toEqual([{ bearer: ['orders:read'] }]);
      await app.init();
    } finally {
      await app.close();
    }
  });
});
