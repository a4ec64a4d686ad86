import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticated, BastionModule, CurrentPrincipal, Public, type Principal } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';

@Controller()
class MeController {
  @Get('me')
  @Authenticated()
  me(@CurrentPrincipal() p: Principal) {
    return { subject: p.subject, clientId: p.clientId, scopes: [...p.scopes].sort(), roles: [...p.roles], credential: p.credential, tokenId: p.tokenId };
  }

  @Get('open')
  @Public()
  open(@CurrentPrincipal() p?: Principal) {
    return { subject: p?.subject ?? null };
  }
}

function appModule(jwt: Parameters<typeof BastionModule.forRoot>[0]['jwt']): new () => unknown {
  @Module({ imports: [BastionModule.forRoot({ realm: 'orders', jwt }) as DynamicModule], controllers: [MeController] })
  class AppModule {}
  return AppModule;
}

describe.each(ADAPTERS)('bearer JWT (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  beforeAll(async () => {
    issuer = await TestIssuer.start({ algorithms: ['PS256', 'ES256', 'EdDSA'] });
    running = await startApp(appModule(issuer.options({ claims: { roleClaims: ['realm_access.roles'] } })), adapter);
  });
  afterAll(async () => {
    await running.close();
    await issuer.close();
  });

  const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
    fetch(`${running.url}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });

  it.each(['RS256', 'PS256', 'ES256', 'EdDSA'] as const)('accepts a valid %s token and builds the principal', async (algorithm) => {
    const token = await issuer.sign(
      { sub: 'alice', client_id: 'web', scope: 'orders:read orders:write', scp: ['extra'], realm_access: { roles: ['admin'] }, jti: 'j-1' },
      { algorithm },
    );
    const res = await get('/me', token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ subject: 'alice', clientId: 'web', scopes: ['extra', 'orders:read', 'orders:write'], roles: ['admin'], credential: 'jwt', tokenId: 'j-1' });
  });

  it('accepts a reused token (verified-token cache) and the lowercase scheme', async () => {
    const token = await issuer.sign({ sub: 'bob' });
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const res = await get('/me', undefined, { authorization: `${scheme} ${token}` });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { subject: string }).subject).toBe('bob');
    }
  });

  it('rejects an invalid token with a uniform 401 invalid_token problem', async () => {
    const token = await issuer.sign({ sub: 'mallory' }, { expiresIn: -60 });
    const res = await get('/me', token);
    const body = await res.text();
    expect(res.status).toBe(401);
    expect(problemInvariants(res, body)).toEqual([]);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="orders", error="invalid_token"');
    expect(JSON.parse(body)).toEqual({ type: 'about:blank', title: 'Unauthorized', status: 401, code: 'ERR_INVALID_TOKEN', requestId: res.headers.get('x-request-id') });
  });

  it('verifies a token presented on a public route, and attaches the principal', async () => {
    expect(((await (await get('/open', await issuer.sign({ sub: 'carol' }))).json()) as { subject: string }).subject).toBe('carol');
    expect((await get('/open', 'not-a-jwt')).status).toBe(401);
    expect((await get('/open')).status).toBe(200);
  });
});
