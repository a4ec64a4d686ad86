import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Module } from '@nestjs/common';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticated, BastionModule, CurrentPrincipal, SecurityEvents, type Principal, type SecurityEvent } from '../../src/index.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';

const RESOURCE = 'https://orders-api.example';
const CLIENT = { client_id: 'orders-worker', client_secret: 'a-long-client-secret-for-the-test-provider-0123456789' };

@Controller()
class OrdersController {
  @Get('orders')
  @Authenticated()
  list(@CurrentPrincipal() p: Principal) {
    return { subject: p.subject, clientId: p.clientId, scopes: [...p.scopes].sort(), tokenId: p.tokenId };
  }
}

/** A real OpenID provider (oidc-provider) on 127.0.0.1 issuing RFC 9068 JWT access tokens by client credentials. */
async function startProvider(): Promise<{ issuer: string; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signingKey = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'op-rs256', alg: 'RS256', use: 'sig' };
  const provider = new Provider(issuer, {
    clients: [{ ...CLIENT, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'orders:read orders:write' }],
    jwks: { keys: [signingKey as never] },
    scopes: ['orders:read', 'orders:write'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (resource !== RESOURCE) throw new Error('unknown resource');
          return { scope: 'orders:read orders:write', audience: 'orders-api', accessTokenFormat: 'jwt', accessTokenTTL: 300, jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
  });
  server.on('request', provider.callback());
  return { issuer, server };
}

async function clientCredentialsToken(issuer: string, scope: string): Promise<string> {
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${CLIENT.client_id}:${CLIENT.client_secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource: RESOURCE }),
  });
  const body = (await res.json()) as { access_token?: string; token_type?: string };
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body.access_token!;
}

describe.each(ADAPTERS)('a real OpenID provider through discovery (%s)', (adapter) => {
  let op: { issuer: string; server: Server };
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
    op.server.closeAllConnections();
    await new Promise((resolve) => op.server.close(resolve));
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
