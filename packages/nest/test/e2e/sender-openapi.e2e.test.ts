import { Controller, Get, Module, Post } from '@nestjs/common';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticated, BastionModule, Boundary, RequireScopes, applyBastionSecurity, createBastionDocument, type OpenApiDocumentLike } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';

const PIN = 'sEP7dQ0R1cu6oFtoOBPcmPoDa2Qp9PnB3bh4xgdWcuc';

@Controller('payments')
@Boundary('payments')
class PaymentsController {
  @Post()
  @RequireScopes('payments:write')
  pay() {
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

@Controller('orders')
class OrdersController {
  @Get()
  @Authenticated()
  list() {
    return [];
  }
}

type Operation = { security?: unknown; 'x-bastion'?: Record<string, unknown> };
const op = (doc: OpenApiDocumentLike, path: string, method: string) => (doc.paths[path] as Record<string, Operation>)[method]!;
const DPOP_SCHEME = { type: 'http', scheme: 'DPoP', description: 'DPoP-bound access token (RFC 9449) with a DPoP proof in the DPoP header' };

describe.each(ADAPTERS)('OpenAPI schemes of DPoP and mutual TLS (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    @Module({
      imports: [
        BastionModule.forRoot({
          jwt: issuer.options(),
          dpop: {},
          mtls: { clients: [{ clientId: 'partner', thumbprint: PIN }] },
          boundaries: { payments: { accept: ['dpop'] }, internal: { accept: ['mtls'] } },
        }),
      ],
      controllers: [PaymentsController, InternalController, OrdersController],
    })
    class AppModule {}
    running = await startApp(AppModule, adapter);
  });
  afterAll(async () => {
    await running?.close();
    await issuer?.close();
  });

  it('declares DPoP as the http scheme "DPoP" (scopes in x-bastion), and mutual TLS not at all in an OpenAPI 3.0 document', async () => {
    const doc = await createBastionDocument(running.app, { title: 'Payments' });
    expect(doc.openapi).toMatch(/^3\.0\./);
    expect(op(doc, '/payments', 'post').security).toEqual([{ dpop: [] }]);
    expect(op(doc, '/payments', 'post')['x-bastion']).toMatchObject({ boundary: 'payments', scopes: ['payments:write'] });
    // OpenAPI 3.0 has no mutualTLS type: the credential is named, no scheme is made up.
    expect(op(doc, '/internal/reindex', 'post').security).toBeUndefined();
    expect(op(doc, '/internal/reindex', 'post')['x-bastion']).toMatchObject({ boundary: 'internal', credentials: ['mtls'] });
    expect(op(doc, '/orders', 'get').security).toEqual([{ bearer: [] }, { dpop: [] }]);
    expect(doc.components?.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, dpop: DPOP_SCHEME });
    expect(await new Validator().validate(doc as never)).toMatchObject({ valid: true });
  });

  it('declares the mutualTLS scheme in an OpenAPI 3.1 document', async () => {
    const base = await createBastionDocument(running.app, { title: 'Payments' });
    const doc = applyBastionSecurity<OpenApiDocumentLike>({ ...base, openapi: '3.1.0', components: {} }, running.app);
    expect(op(doc, '/internal/reindex', 'post').security).toEqual([{ mutualTLS: [] }]);
    expect(op(doc, '/internal/reindex', 'post')['x-bastion']).toEqual({ boundary: 'internal' });
    expect(op(doc, '/orders', 'get').security).toEqual([{ bearer: [] }, { dpop: [] }, { mutualTLS: [] }]);
    expect(doc.components?.securitySchemes?.mutualTLS).toEqual({ type: 'mutualTLS', description: 'Client certificate (mutual TLS, RFC 8705)' });
    expect(await new Validator().validate(doc as never)).toMatchObject({ valid: true });
  });
});
