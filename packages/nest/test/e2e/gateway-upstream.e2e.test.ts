import { Controller, Get, Module, Req, type DynamicModule } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BastionGatewayModule, clientCredentialsUpstream } from '../../src/gateway/index.js';
import { BastionModule, Boundary, ClientCredentialsTokenProvider, RequireScopes } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { CLIENTS, RESOURCE, startProvider, type TestProvider } from '../support/oidc-provider.js';
import { recordSecret } from '../support/secrets.js';

/** What the upstream saw: the Authorization header of every request that reached its handler. */
const seen: (string | undefined)[] = [];

@Controller('api/orders')
@Boundary('internal')
@RequireScopes('orders:read')
class InternalOrdersController {
  @Get()
  list(@Req() req: { headers: Record<string, string | undefined> }) {
    seen.push(req.headers.authorization);
    return { orders: [{ id: 1 }] };
  }
}

// The upstream: an `internal` boundary that only the gateway's client (orders-worker) may enter, with
// tokens of the authorization server for its own audience.
function upstreamModule(op: TestProvider): new () => unknown {
  @Module({
    imports: [
      BastionModule.forRoot({
        jwt: { issuer: op.issuer, audience: 'orders-api', discovery: true, profile: 'rfc9068' },
        boundaries: { internal: { accept: ['jwt'], clients: [CLIENTS.basic.client_id] } },
        // The gateway is a trusted (loopback) proxy whose Forwarded header says proto=http: plain HTTP in this test.
        https: { enforce: false },
      }) as DynamicModule,
    ],
    controllers: [InternalOrdersController],
  })
  class UpstreamModule {}
  return UpstreamModule;
}

function gatewayModule(issuer: TestIssuer, op: TestProvider, upstream: string): new () => unknown {
  const tokens = new ClientCredentialsTokenProvider({
    tokenEndpoint: `${op.issuer}/token`,
    clientId: CLIENTS.basic.client_id,
    clientSecret: CLIENTS.basic.client_secret,
    scope: 'orders:read',
    resource: RESOURCE,
    allowInsecureHttp: true,
  });
  @Module({
    imports: [
      BastionModule.forRoot({ jwt: issuer.options() }) as DynamicModule,
      BastionGatewayModule.forRoot({
        upstreams: { orders: { url: `${upstream}/api/orders`, prefix: '/orders', scopes: ['orders:read'], credential: clientCredentialsUpstream(tokens), allowInsecureHttp: true } },
      }),
    ],
  })
  class GatewayModule {}
  return GatewayModule;
}

describe.each(ADAPTERS)('gateway in front of a Bastion upstream with an internal boundary (%s)', (adapter) => {
  let op: TestProvider;
  let issuer: TestIssuer;
  let upstream: RunningApp;
  let gateway: RunningApp;
  let user: string;

  beforeAll(async () => {
    recordSecret(CLIENTS.basic.client_secret);
    op = await startProvider();
    issuer = await TestIssuer.start();
    upstream = await startApp(upstreamModule(op), adapter);
    gateway = await startApp(gatewayModule(issuer, op, upstream.url), adapter);
    user = await issuer.sign({ sub: 'alice', scope: 'orders:read' });
  }, 60_000);
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    await issuer?.close();
    await op?.close();
  });

  it("a user with the scope gets the upstream's answer through the gateway, which calls with its own client-credentials token", async () => {
    seen.length = 0;
    const res = await fetch(`${gateway.url}/orders`, { headers: { authorization: `Bearer ${user}` } });
    const body = await res.text();
    expect(res.status, body).toBe(200);
    expect(JSON.parse(body)).toEqual({ orders: [{ id: 1 }] });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^Bearer /);
    expect(seen[0]).not.toBe(`Bearer ${user}`);
  });

  it("the user's own token sent to the upstream directly is refused with 401, and never reaches its handler", async () => {
    seen.length = 0;
    const res = await fetch(`${upstream.url}/api/orders`, { headers: { authorization: `Bearer ${user}` } });
    expect(res.status).toBe(401);
    expect(seen).toEqual([]);
  });
});
