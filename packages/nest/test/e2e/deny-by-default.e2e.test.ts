import { Controller, Get, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticated, BastionModule, Public } from '../../src/index.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';

@Controller('open')
@Public()
class OpenController {
  @Get()
  open() {
    return { ok: true };
  }
}

@Controller('things')
class ThingsController {
  @Get('public')
  @Public()
  publicThing() {
    return { ok: true };
  }

  @Get('mine')
  @Authenticated()
  mine() {
    return { secret: 'data' };
  }

  @Get('undecided')
  undecided() {
    return { secret: 'data' };
  }

  @Get('boom')
  @Public()
  boom(): never {
    throw new Error('db password=hunter2 at /srv/app/src/x.ts:10');
  }
}

// strict: false — ThingsController.undecided deliberately states no access decision.
@Module({ imports: [BastionModule.forRoot({ realm: 'orders', strict: false })], controllers: [OpenController, ThingsController] })
class AppModule {}

describe.each(ADAPTERS)('deny by default (%s)', (adapter) => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp(AppModule, adapter);
  });
  afterAll(() => running.close());

  it('serves @Public() routes on class and method', async () => {
    expect((await fetch(`${running.url}/open`)).status).toBe(200);
    const res = await fetch(`${running.url}/things/public`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each(['/things/mine', '/things/undecided'])('denies %s without a credential: 401 problem+json with a challenge', async (path) => {
    const res = await fetch(`${running.url}${path}`);
    const body = await res.text();
    expect(res.status).toBe(401);
    expect(problemInvariants(res, body)).toEqual([]);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="orders"');
    const doc = JSON.parse(body);
    expect(doc).toMatchObject({ type: 'about:blank', title: 'Unauthorized', status: 401, code: 'ERR_UNAUTHENTICATED' });
    expect(doc.requestId).toBe(res.headers.get('x-request-id'));
    expect(body).not.toContain('data');
  });

  it('turns unknown routes into 404 problem+json', async () => {
    const res = await fetch(`${running.url}/nope/../nope`);
    const body = await res.text();
    expect(res.status).toBe(404);
    expect(problemInvariants(res, body)).toEqual([]);
    expect(JSON.parse(body).code).toBe('ERR_NOT_FOUND');
  });

  it('says only "Internal Server Error" on 500, with no message, stack or path', async () => {
    const res = await fetch(`${running.url}/things/boom`);
    const body = await res.text();
    expect(res.status).toBe(500);
    expect(problemInvariants(res, body)).toEqual([]);
    expect(body).not.toContain('hunter2');
    expect(JSON.parse(body)).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, code: 'ERR_INTERNAL', requestId: res.headers.get('x-request-id') });
  });

  it('echoes a safe incoming X-Request-Id and replaces an unsafe one', async () => {
    const safe = await fetch(`${running.url}/things/public`, { headers: { 'x-request-id': 'abc-12345678' } });
    expect(safe.headers.get('x-request-id')).toBe('abc-12345678');
    const unsafe = await fetch(`${running.url}/things/mine`, { headers: { 'x-request-id': '"<script>alert(1)</script>' } });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
