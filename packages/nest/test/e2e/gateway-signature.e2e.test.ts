import { Body, Controller, Get, Module, Post, Req, type DynamicModule } from '@nestjs/common';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BastionGatewayModule, signatureUpstream } from '../../src/gateway/index.js';
import { BastionModule, Boundary, RequireScopes } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { recordSecret } from '../support/secrets.js';
import { rawRequest } from '../transport/raw-request.js';

type Headers = Record<string, string | undefined>;

/** The headers of every request that reached the upstream's handlers. */
const seen: Headers[] = [];
function remember(headers: Headers): void {
  for (const value of [headers.signature, headers['signature-input']]) if (value) recordSecret(value.slice(value.indexOf('=') + 1));
  seen.push({ ...headers });
}

@Controller('api/orders')
@Boundary('internal')
@RequireScopes('orders:internal')
class InternalOrdersController {
  @Get()
  list(@Req() req: { headers: Headers }) {
    remember(req.headers);
    return { orders: [{ id: 1 }] };
  }

  @Post()
  create(@Req() req: { headers: Headers }, @Body() body: unknown) {
    remember(req.headers);
    return { received: body };
  }
}

const gatewayKey = generateKeyPairSync('ed25519');
const privatePem = gatewayKey.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const publicPem = gatewayKey.publicKey.export({ format: 'pem', type: 'spki' }).toString();

// The upstream: an `internal` boundary that accepts only RFC 9421 signatures by the gateway's key, with the
// verifier's defaults (required components, no nonce requirement). It trusts the same issuer for its own audience,
// so a user's token for the gateway is not one of its tokens.
function upstreamModule(issuer: TestIssuer): new () => unknown {
  @Module({
    imports: [
      BastionModule.forRoot({
        jwt: issuer.options({ audience: 'orders-internal' }),
        signature: { keys: [{ keyid: 'gateway-2026', alg: 'ed25519', key: publicPem, owner: 'gateway', scopes: ['orders:internal'] }] },
        boundaries: { internal: { accept: ['signature'] } },
        // The gateway is a trusted (loopback) proxy whose Forwarded header says proto=http: plain HTTP in this test.
        https: { enforce: false },
      }) as DynamicModule,
    ],
    controllers: [InternalOrdersController],
  })
  class UpstreamModule {}
  return UpstreamModule;
}

function gatewayModule(issuer: TestIssuer, upstream: string): new () => unknown {
  @Module({
    imports: [
      BastionModule.forRoot({ jwt: issuer.options() }) as DynamicModule,
      BastionGatewayModule.forRoot({
        upstreams: {
          orders: {
            url: `${upstream}/api/orders`,
            prefix: '/orders',
            methods: ['GET', 'POST'],
            scopes: ['orders:read'],
            credential: signatureUpstream({ keyid: 'gateway-2026', alg: 'ed25519', key: privatePem }),
            maxRequestBytes: 1024,
            allowInsecureHttp: true,
          },
        },
      }),
    ],
  })
  class GatewayModule {}
  return GatewayModule;
}

describe.each(ADAPTERS)('gateway signing its upstream calls (RFC 9421) for a Bastion upstream with an internal boundary (%s)', (adapter) => {
  let issuer: TestIssuer;
  let upstream: RunningApp;
  let gateway: RunningApp;
  let user: string;

  beforeAll(async () => {
    recordSecret(privatePem);
    issuer = await TestIssuer.start();
    upstream = await startApp(upstreamModule(issuer), adapter);
    gateway = await startApp(gatewayModule(issuer, upstream.url), adapter);
    user = await issuer.sign({ sub: 'alice', scope: 'orders:read orders:internal' });
  }, 60_000);
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    await issuer?.close();
  });

  it('a GET through the gateway reaches the upstream signed with the gateway key, without the user token', async () => {
    seen.length = 0;
    const res = await fetch(`${gateway.url}/orders`, { headers: { authorization: `Bearer ${user}` } });
    const body = await res.text();
    expect(res.status, body).toBe(200);
    expect(JSON.parse(body)).toEqual({ orders: [{ id: 1 }] });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.authorization).toBeUndefined();
    expect(seen[0]!['signature-input']).toMatch(/^sig1=\("@method" "@target-uri"\);created=\d+;keyid="gateway-2026";nonce="[^"]+";alg="ed25519"$/);
    expect(seen[0]!['content-digest']).toBeUndefined();
  });

  it('a POST with a JSON body through the gateway carries a covered sha-256 Content-Digest and the body arrives intact', async () => {
    seen.length = 0;
    const res = await fetch(`${gateway.url}/orders`, { method: 'POST', headers: { authorization: `Bearer ${user}`, 'content-type': 'application/json' }, body: JSON.stringify({ sku: 'A-1', qty: 2 }) });
    const body = await res.text();
    expect(res.status, body).toBe(201);
    expect(JSON.parse(body)).toEqual({ received: { sku: 'A-1', qty: 2 } });
    expect(seen).toHaveLength(1);
    expect(seen[0]!['content-digest']).toMatch(/^sha-256=:[A-Za-z0-9+/]+=*:$/);
    expect(seen[0]!['signature-input']).toMatch(/^sig1=\("@method" "@target-uri" "content-digest" "content-type"\);/);
  });

  it('a chunked body over maxRequestBytes is refused at the gateway with 413 and never reaches the upstream', async () => {
    seen.length = 0;
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(512)));
        controller.close();
      },
    });
    const res = await fetch(`${gateway.url}/orders`, { method: 'POST', headers: { authorization: `Bearer ${user}`, 'content-type': 'application/json' }, body: chunks, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(seen).toEqual([]);
  });

  // A bearer token is a credential type the signature-only boundary does not accept: refused before it is verified.
  it("the user's own token sent to the upstream directly is refused (403 ERR_BOUNDARY_DENIED) and never reaches its handler", async () => {
    seen.length = 0;
    const res = await fetch(`${upstream.url}/api/orders`, { headers: { authorization: `Bearer ${user}` } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('ERR_BOUNDARY_DENIED');
    expect(seen).toEqual([]);
  });

  it('an unsigned direct call, and the gateway signature replayed with another body, are refused with 401', async () => {
    seen.length = 0;
    const unsigned = await fetch(`${upstream.url}/api/orders`);
    expect(unsigned.status).toBe(401);
    const through = await fetch(`${gateway.url}/orders`, { method: 'POST', headers: { authorization: `Bearer ${user}`, 'content-type': 'application/json' }, body: '{"qty":1}' });
    expect(through.status).toBe(201);
    const signed = seen[0]!;
    const tampered = await rawRequest(upstream.url, {
      method: 'POST',
      path: '/api/orders',
      headers: { 'content-type': 'application/json', 'content-digest': signed['content-digest']!, 'signature-input': signed['signature-input']!, signature: signed.signature! },
      body: Buffer.from('{"qty":1000}'),
    });
    expect(tampered.status).toBe(401);
    expect(seen).toHaveLength(1);
  });
});
