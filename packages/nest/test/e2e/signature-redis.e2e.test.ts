import { Controller, Get, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys, BastionModule, CurrentPrincipal, RequireScopes, configureBastion, type BastionOptions, type Principal } from '../../src/index.js';
import { TestSigner } from '../../src/testing/index.js';
import { ADAPTERS, startApp, type AdapterName, type RunningApp } from '../support/app.js';
import { capturedAuditEvents } from '../support/log-capture.js';
import { startTestRedis } from '../support/redis.js';
import { recordSecret } from '../support/secrets.js';
import { rawRequest } from '../transport/raw-request.js';

@Controller('svc')
class ServiceController {
  @Get('orders')
  @RequireScopes('orders:export')
  list(@CurrentPrincipal() p: Principal) {
    return { subject: p.subject, credential: p.credential, combined: p.combined ?? null };
  }
}

function appModule(options: BastionOptions) {
  @Module({ imports: [BastionModule.forRoot(options)], controllers: [ServiceController] })
  class AppModule {}
  return AppModule;
}

const redis = await startTestRedis();
afterAll(() => redis?.stop());

const other = (adapter: AdapterName): AdapterName => (adapter === 'express' ? 'fastify' : 'express');

describe.runIf(redis).each(ADAPTERS)('signatures and API keys on one Redis shared by two instances (%s + the other adapter)', (adapter) => {
  const worker = TestSigner.create({ keyid: 'shared-worker', owner: 'billing-worker', scopes: ['orders:export'] });
  let a: RunningApp;
  let b: RunningApp;

  beforeAll(async () => {
    const options: BastionOptions = {
      store: { type: 'redis', url: redis!.url, keyPrefix: `e2e:${randomUUID()}:` },
      signature: { keys: [worker.keyOptions()] },
      apiKey: { store: 'redis' },
      boundaries: { internal: { accept: ['signature', ['api-key', 'signature']] } },
      defaultBoundary: 'internal',
      bruteForce: { enabled: false },
    };
    a = await startApp(appModule(options), adapter, (app) => configureBastion(app));
    b = await startApp(appModule(options), other(adapter), (app) => configureBastion(app));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('refuses on instance B a signed request already seen by instance A', async () => {
    const headers = worker.sign({ method: 'GET', url: `${a.url}/svc/orders` });
    recordSecret(headers.signature.slice(5));
    // The authority is part of the signature: send the same Host to both.
    const sent = { ...headers, host: new URL(a.url).host };
    expect((await rawRequest(a.url, { method: 'GET', path: '/svc/orders', headers: sent })).status).toBe(200);
    const replay = await rawRequest(b.url, { method: 'GET', path: '/svc/orders', headers: sent });
    expect(replay.status).toBe(401);
    expect(capturedAuditEvents().find((e) => e.requestId === replay.headers['x-request-id'] && e.outcome === 'failure')).toMatchObject({ type: 'signature.replayed', reason: 'ERR_SIGNATURE_REPLAYED' });
  });

  it('issues an API key with its signing key on A, accepts key + signature on B, and a revocation on B holds on A', async () => {
    const issued = await a.app.get(ApiKeys).issue({ owner: 'partner-7', scopes: ['orders:export'], signingKey: worker.apiKeySigningKey(), expiresIn: 3_600 });
    recordSecret(issued.key);
    const signer = worker.withKeyid(issued.id);
    const call = async (app: RunningApp) => {
      const headers = { ...signer.sign({ method: 'GET', url: `${app.url}/svc/orders` }), 'x-api-key': issued.key };
      recordSecret(headers.signature.slice(5));
      return rawRequest(app.url, { method: 'GET', path: '/svc/orders', headers });
    };
    const ok = await call(b);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ subject: 'partner-7', credential: 'api-key', combined: ['api-key', 'signature'] });
    expect(await b.app.get(ApiKeys).revoke(issued.id)).toBe(true);
    const revoked = await call(a);
    expect(revoked.status).toBe(401);
    expect(capturedAuditEvents().find((e) => e.requestId === revoked.headers['x-request-id'] && e.outcome === 'failure')).toMatchObject({ type: 'api-key.invalid', reason: 'ERR_API_KEY_REVOKED' });
    expect((await a.app.get(ApiKeys).list('partner-7')).map((r) => [r.id, r.revokedAt instanceof Date])).toEqual([[issued.id, true]]);
  });
});
