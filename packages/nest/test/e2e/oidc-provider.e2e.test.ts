import { Controller, Get, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticated, BastionModule, CurrentPrincipal, SecurityEvents, type Principal, type SecurityEvent } from '../../src/index.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';
import { CLIENTS, clientCredentialsToken, startProvider, type TestProvider } from '../support/oidc-provider.js';

const CLIENT = CLIENTS.basic;

@Controller()
class OrdersController {
  @Get('orders')
  @Authenticated()
  list(@CurrentPrincipal() p: Principal) {
    return { subject: p.subject, clientId: p.clientId, scopes: [...p.scopes].sort(), tokenId: p.tokenId };
  }
}

describe.each(ADAPTERS)('a real OpenID provider through discovery (%s)', (adapter) => {
  let op: TestProvider;
  let running: RunningApp;
  const events: SecurityEvent[] = [];

  beforeAll(async () => {
    op = await startProvider();
    @Module({
      imports: [BastionModule.forRoot({ jwt: { issuer: op.issuer, audience: 'orders-api', discovery: true, profile: 'rfc9068' } })],
      controllers: [OrdersController],
    })
    class AppModule {}
    running = await startApp(AppModule, adapter);
    running.app.get(SecurityEvents).subscribe((e) => events.push(e));
  });
  afterAll(async () => {
    await running.close();
    await op.close();
  });

  it('accepts a client-credentials JWT access token (RFC 9068 profile) found through discovery', async () => {
    const token = await clientCredentialsToken(op.issuer, 'orders:read');
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { typ: string; kid: string };
    expect(header).toMatchObject({ typ: 'at+jwt', kid: 'op-rs256' });
    const res = await fetch(`${running.url}/orders`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ subject: CLIENT.client_id, clientId: CLIENT.client_id, scopes: ['orders:read'] });
  });

  it('rejects a tampered provider token with the uniform 401', async () => {
    const token = await clientCredentialsToken(op.issuer, 'orders:read');
    const [h, p, s] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    claims.scope = 'orders:read orders:write';
    const res = await fetch(`${running.url}/orders`, { headers: { authorization: `Bearer ${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}` } });
    const body = await res.text();
    expect(res.status).toBe(401);
    expect(problemInvariants(res, body)).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'authentication.failed', reason: 'ERR_SIGNATURE_INVALID' });
  });
});
