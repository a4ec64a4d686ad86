import { Module, type DynamicModule } from '@nestjs/common';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BastionGatewayModule, type UpstreamCredential } from '../../src/gateway/index.js';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { applyBastionSecurity, BastionModule, SecurityEvents, type SecurityEvent } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';
import { recordSecret } from '../support/secrets.js';
import { rawRequest, Upstream } from '../support/upstream.js';

const MiB = 1024 * 1024;
const GATEWAY_TOKEN = 'gateway-credential-4f1d9c2b7a';

/** The gateway's own credential, typed against the port: a fixed bearer token the upstream can recognise. */
const credential: UpstreamCredential = { headersFor: async () => ({ authorization: `Bearer ${GATEWAY_TOKEN}` }) };

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function gatewayModule(issuer: TestIssuer, upstream: string, deadPort: number): new () => unknown {
  @Module({
    imports: [
      BastionModule.forRoot({ realm: 'gateway', jwt: issuer.options(), trustedProxies: [], https: { enforce: false } }) as DynamicModule,
      BastionGatewayModule.forRoot({
        stripRequestHeaders: ['x-tenant-key'],
        upstreams: {
          orders: {
            url: `${upstream}/api`,
            prefix: '/orders',
            methods: ['GET', 'POST', 'PUT'],
            scopes: ['orders:read'],
            credential,
            timeoutMs: 1500,
            maxResponseBytes: MiB,
            maxRequestBytes: MiB,
            retry: { attempts: 1 },
            allowInsecureHttp: true,
          },
          files: {
            url: `${upstream}/api`,
            prefix: '/files',
            methods: ['GET', 'POST'],
            scopes: ['files:rw'],
            credential,
            maxResponseBytes: 64 * MiB,
            maxRequestBytes: 64 * MiB,
            allowInsecureHttp: true,
          },
          dead: { url: `http://127.0.0.1:${deadPort}`, prefix: '/dead', authenticated: true, credential: 'none', breaker: { failures: 3, openMs: 600_000 }, allowInsecureHttp: true },
          busy: { url: `${upstream}/api/hold`, prefix: '/busy', authenticated: true, credential: 'none', concurrency: 1, allowInsecureHttp: true },
        },
      }),
    ],
  })
  class GatewayAppModule {}
  return GatewayAppModule;
}

describe.each(ADAPTERS)('gateway (%s)', (adapter) => {
  let issuer: TestIssuer;
  let upstream: Upstream;
  let gateway: RunningApp;
  let reader: string;
  let files: string;
  let other: string;
  const events: SecurityEvent[] = [];

  beforeAll(async () => {
    recordSecret(GATEWAY_TOKEN);
    issuer = await TestIssuer.start();
    upstream = await Upstream.start();
    gateway = await startApp(gatewayModule(issuer, upstream.url, await closedPort()), adapter);
    gateway.app.get(SecurityEvents).subscribe((e) => events.push(e));
    reader = await issuer.sign({ sub: 'alice', scope: 'orders:read' });
    files = await issuer.sign({ sub: 'alice', scope: 'files:rw' });
    other = await issuer.sign({ sub: 'bob', scope: 'profile' });
  }, 60_000);
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    await issuer?.close();
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const lastSeen = () => upstream.seen.at(-1)!;

  it('forwards a caller with the scope and returns the upstream answer', async () => {
    const res = await fetch(`${gateway.url}/orders/42?expand=items`, { headers: auth(reader) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ method: 'GET', url: '/api/42?expand=items' });
  });

  it('forwards the prefix itself to the base path and a JSON body as bytes', async () => {
    const res = await fetch(`${gateway.url}/orders`, { method: 'POST', headers: { ...auth(reader), 'content-type': 'application/json' }, body: '{"sku":"a-1","qty":2}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ method: 'POST', url: '/api', body: '{"sku":"a-1","qty":2}' });
  });

  it('refuses a caller without the scope with 403 and the upstream sees nothing', async () => {
    const before = upstream.seen.length;
    const res = await fetch(`${gateway.url}/orders/42`, { headers: auth(other) });
    const body = await res.text();
    expect(res.status).toBe(403);
    expect(JSON.parse(body).code).toBe('ERR_SCOPE_MISSING');
    expect(problemInvariants(res, body)).toEqual([]);
    expect(upstream.seen.length).toBe(before);
  });

  it('refuses an anonymous caller with 401 and a method not declared with 404', async () => {
    const before = upstream.seen.length;
    expect((await fetch(`${gateway.url}/orders/42`)).status).toBe(401);
    expect((await fetch(`${gateway.url}/orders/42`, { method: 'DELETE', headers: auth(reader) })).status).toBe(404);
    expect(upstream.seen.length).toBe(before);
  });

  it("strips the caller's credentials and hop-by-hop headers, adds its own credential, X-Request-Id and Forwarded", async () => {
    const res = await rawRequest(gateway.url, 'GET', '/orders/headers-in', {
      ...auth(reader),
      cookie: 'session=s3cr3t',
      dpop: 'eyJ0eXAiOiJkcG9wK2p3dCJ9.e30.sig',
      'x-api-key': 'key-123',
      'x-tenant-key': 'tenant-secret',
      signature: 'sig1=:AAAA:',
      'signature-input': 'sig1=("@method");keyid="k"',
      'client-cert': ':MIIB:',
      connection: 'keep-alive, x-private-hop',
      'x-private-hop': 'secret-hop',
      te: 'trailers',
      forwarded: 'for=6.6.6.6',
      'x-forwarded-for': '6.6.6.6',
      'x-request-id': 'spoofed-id',
      'x-kept': 'kept',
    });
    expect(res.status).toBe(200);
    const seen = lastSeen().headers;
    expect(seen.authorization).toBe(`Bearer ${GATEWAY_TOKEN}`);
    for (const name of ['cookie', 'dpop', 'x-api-key', 'x-tenant-key', 'signature', 'signature-input', 'client-cert', 'x-private-hop', 'te', 'x-forwarded-for']) expect(seen[name], name).toBeUndefined();
    expect(seen['x-kept']).toBe('kept');
    expect(seen['x-request-id']).toBe(res.headers['x-request-id']);
    expect(seen['x-request-id']).not.toBe('spoofed-id');
    const port = new URL(gateway.url).port;
    // RFC 7239: the client as Bastion resolved it (no trusted proxy here, so the peer), never the caller's claim.
    expect(seen.forwarded).toBe(`for=127.0.0.1;proto=http;host="127.0.0.1:${port}"`);
  });

  it("filters the upstream's response headers; Bastion's security headers win", async () => {
    const res = await rawRequest(gateway.url, 'GET', '/orders/headers', auth(reader));
    expect(res.status).toBe(200);
    expect(res.headers['x-ok']).toBe('yes');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['server']).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-upstream-hop']).toBeUndefined();
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each([
    '/orders/../admin',
    '/orders/a/%2e%2e/%2e%2e/admin',
    '/orders/%2E%2E%2Fadmin',
    '/orders/a%2fb',
    '/orders/%252e%252e/admin',
    '/orders/a\\..\\b',
    '/orders//x',
    '/orders/./x',
    '/ORDERS/%2e%2e/x',
  ])('refuses the path %s with 400 before any route matches', async (path) => {
    const before = upstream.seen.length;
    const res = await rawRequest(gateway.url, 'GET', path, auth(reader));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).code).toBe('ERR_BAD_REQUEST');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(upstream.seen.length).toBe(before);
  });

  it('maps a slow upstream to 504 problem+json', async () => {
    const res = await fetch(`${gateway.url}/orders/slow`, { headers: auth(reader) });
    const body = await res.text();
    expect(res.status).toBe(504);
    expect(JSON.parse(body).code).toBe('ERR_GATEWAY_TIMEOUT');
    expect(problemInvariants(res, body)).toEqual([]);
  });

  it('maps an upstream 5xx to 502 without its body', async () => {
    const res = await fetch(`${gateway.url}/orders/fail`, { headers: auth(reader) });
    const body = await res.text();
    expect(res.status).toBe(502);
    expect(JSON.parse(body).code).toBe('ERR_BAD_GATEWAY');
    expect(body).not.toMatch(/SQLSTATE|password|db\.internal/);
    expect(problemInvariants(res, body)).toEqual([]);
  });

  it('maps a declared response over the cap to 502 without the body', async () => {
    const res = await fetch(`${gateway.url}/orders/download?bytes=${2 * MiB}`, { headers: auth(reader) });
    const body = await res.text();
    expect(res.status).toBe(502);
    expect(JSON.parse(body).code).toBe('ERR_UPSTREAM_RESPONSE_TOO_LARGE');
    expect(body.length).toBeLessThan(1000);
  });

  it('cuts an undeclared response once it grows over the cap', async () => {
    const res = await fetch(`${gateway.url}/orders/unbounded?bytes=${4 * MiB}`, { headers: auth(reader) });
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow();
  });

  it('refuses a declared request body over the cap with 413 before calling upstream', async () => {
    const before = upstream.seen.length;
    const res = await fetch(`${gateway.url}/orders/upload`, { method: 'POST', headers: { ...auth(reader), 'content-type': 'application/octet-stream' }, body: Buffer.alloc(MiB + 1) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe('ERR_PAYLOAD_TOO_LARGE');
    expect(upstream.seen.length).toBe(before);
  });

  it('retries an idempotent request whose connection was reset, never a POST', async () => {
    upstream.flakyResets = 1;
    const get = await fetch(`${gateway.url}/orders/flaky`, { headers: auth(reader) });
    expect(get.status).toBe(200);
    expect(upstream.flakyResets).toBe(0);
    upstream.flakyResets = 1;
    const post = await fetch(`${gateway.url}/orders/flaky`, { method: 'POST', headers: { ...auth(reader), 'content-type': 'application/json' }, body: '{}' });
    expect(post.status).toBe(502);
    expect(((await post.json()) as { code: string }).code).toBe('ERR_UPSTREAM_UNREACHABLE');
  });

  it('maps connection refused to 502, then fails fast with 503 while the circuit is open', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${gateway.url}/dead/x`, { headers: auth(other) });
      expect(res.status).toBe(502);
      expect(((await res.json()) as { code: string }).code).toBe('ERR_UPSTREAM_UNREACHABLE');
    }
    const open = await fetch(`${gateway.url}/dead/x`, { headers: auth(other) });
    expect(open.status).toBe(503);
    expect(((await open.json()) as { code: string }).code).toBe('ERR_UPSTREAM_UNAVAILABLE');
    expect(Number(open.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('caps concurrent requests per upstream with 503', async () => {
    const first = fetch(`${gateway.url}/busy`, { headers: auth(other) });
    await waitFor(() => upstream.held.length === 1);
    const second = await fetch(`${gateway.url}/busy`, { headers: auth(other) });
    expect(second.status).toBe(503);
    expect(((await second.json()) as { code: string }).code).toBe('ERR_UPSTREAM_BUSY');
    upstream.releaseHeld();
    expect((await first).status).toBe(200);
  });

  it("lists the gateway's routes in the OpenAPI document with their scopes", () => {
    const doc = applyBastionSecurity(SwaggerModule.createDocument(gateway.app, new DocumentBuilder().setTitle('Gateway').build()), gateway.app);
    const paths = doc.paths as Record<string, Record<string, { security?: unknown; 'x-bastion'?: unknown }>>;
    const orders = Object.entries(paths).filter(([path]) => path.startsWith('/orders'));
    expect(orders.length).toBeGreaterThanOrEqual(2);
    for (const [, ops] of orders) {
      expect(Object.keys(ops).sort()).toEqual(['get', 'post', 'put']);
      // A bearer scheme carries no scopes in OpenAPI: they are stated in the operation's x-bastion extension.
      for (const op of Object.values(ops)) expect(JSON.stringify([op.security, op['x-bastion']])).toContain('orders:read');
    }
  });

  it('audits gateway refusals under the request id', async () => {
    events.length = 0;
    const res = await fetch(`${gateway.url}/orders/fail`, { headers: auth(reader) });
    expect(res.status).toBe(502);
    const id = res.headers.get('x-request-id');
    expect(events.some((e) => e.requestId === id)).toBe(true);
  });

  it('streams a 50 MB upload and a 50 MB download with memory staying well under the body size', async () => {
    const size = 50 * MiB;
    const sampler = memorySampler();
    const uploaded = await upload(`${gateway.url}/files/upload`, files, size, sampler.sample);
    expect(uploaded).toEqual({ status: 200, body: { bytes: size } });
    const downloaded = await download(`${gateway.url}/files/download?bytes=${size}`, files, sampler.sample);
    expect(downloaded).toEqual({ status: 200, bytes: size });
    // Buffering either body whole would retain all 50 MB; streaming retains only the chunks in flight
    // in the three hops of this process (measured: up to ~20 MB on a loaded machine, not growing with the body).
    expect(sampler.peakGrowth()).toBeLessThan(size * 0.6);
  }, 120_000);
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Live memory (heap and Buffers) after a forced full GC, sampled during the transfer: garbage from
 * passed chunks is collected, so only what is retained — a buffered body — can grow it. Client,
 * upstream and gateway share this process; all three stream.
 */
function memorySampler(): { sample: () => void; peakGrowth: () => number } {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const live = () => {
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const baseline = live();
  let peak = baseline;
  return {
    sample: () => (peak = Math.max(peak, live())),
    peakGrowth: () => peak - baseline,
  };
}

/** Streams `size` bytes up with node:http (chunked, back-pressure respected), sampling memory as it goes. */
function upload(url: string, token: string, size: number, sample: () => void): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 0x62);
    let left = size;
    let sent = 0;
    const write = (): void => {
      while (left > 0) {
        left -= chunk.length;
        sent += chunk.length;
        if (sent % (5 * MiB) === 0) sample();
        if (!req.write(chunk)) {
          req.once('drain', write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}

function download(url: string, token: string, sample: () => void): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      let bytes = 0;
      let lastSample = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (bytes - lastSample >= 5 * MiB) {
          lastSample = bytes;
          sample();
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}
