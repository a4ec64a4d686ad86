// The API gateway with the real Nest CLI: one `nest new` (node_modules shared by its copies), then
// - the upstream: `init` → `sres orders` (bastion.json `defaultBoundary: "internal"`) → the `internal` boundary
//   written into its bastion.config.ts by this test (no generator writes it; docs/gateway.md shows it) → a small
//   diagnostics controller (a route that never answers, one that answers too much) and a request log → build;
// - the gateway, Express and Fastify: `init` → `gateway.upstreams` in bastion.json → `nest g … gateway edge` → build.
// Users' tokens come from a TestIssuer, the gateway's client-credentials tokens from oidc-provider. Over HTTP:
// scopes, the upstream's boundary, credential stripping, 504, 502 on an oversized answer, path traversal → 400.
// Then the gateway as a new app of a Nest monorepo (Express): the project converted, `nest build edge`, a request
// through the edge app, the existing app and its e2e spec as before, a rerun that rewrites only the routes file.
// (The 50 MB streaming case is in packages/nest/test/e2e/gateway.e2e.test.ts.)
import { createHash, randomUUID } from 'node:crypto';
import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENTS, clientCredentialsToken, startProvider, type TestProvider } from '../../packages/nest/test/support/oidc-provider.js';
import { ORDER_FIELDS, nest, nestG, newAppWith, npm, registryReachable, removeInBackground, startBuiltApp } from '../support/cli.js';
import { makeTempDir, tarballs } from '../support/pack.js';

type Started = Awaited<ReturnType<typeof startBuiltApp>>;
interface Issuer {
  issuer: string;
  audience: string;
  jwksUri: string;
  sign(claims: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

const FASTIFY_MAIN = `import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';

async function bootstrap() {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());
  await app.listen(process.env.PORT ?? 3000, '127.0.0.1');
}
await bootstrap();
`;

/** Upstream routes for the failure cases: one never answers, one answers more than the gateway passes back. */
const DIAGNOSTICS = `import { Controller, Get } from '@nestjs/common';
import { Boundary, RequireScopes } from '@bastion/nest';

@Controller('diagnostics')
@Boundary('internal')
@RequireScopes('orders:read')
export class DiagnosticsController {
  @Get('slow')
  slow(): Promise<never> {
    return new Promise<never>(() => undefined);
  }

  @Get('big')
  big(): { data: string } {
    return { data: 'B'.repeat(64 * 1024) };
  }
}
`;

/** The upstream's request log: one JSON line per request, before any guard, with a hash of its Authorization. */
const REQUEST_LOG = `  app.use((req: { url: string; headers: Record<string, string | undefined> }, _res: unknown, next: () => void) => {
    const authorization = req.headers.authorization;
    console.log(JSON.stringify({ upstreamSaw: req.url, requestId: req.headers['x-request-id'], authorization: authorization && createHash('sha256').update(authorization).digest('hex') }));
    next();
  });
`;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

let online = false;
let work = '';
let base = '';
let op: TestProvider | undefined;
let issuer: Issuer | undefined;
let upstream: Started | undefined;

/** A copy of the `nest new` app, its node_modules linked (not copied). */
function copyApp(name: string): string {
  const dir = join(work, name);
  cpSync(base, dir, { recursive: true, filter: (src) => !/\/(node_modules|dist)(\/|$)/.test(src.slice(base.length)) });
  symlinkSync(join(base, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function editJson(file: string, edit: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(json);
  writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
}

function edit(file: string, from: string | RegExp, to: string): void {
  const text = readFileSync(file, 'utf8');
  expect(text, `${file} has ${String(from)}`).toMatch(from);
  writeFileSync(file, text.replace(from, to));
}

/** The upstream lines its request log printed so far. */
function upstreamLog(): { upstreamSaw: string; requestId?: string; authorization?: string }[] {
  return upstream!.output().split('\n').filter((l) => l.startsWith('{"upstreamSaw"')).map((l) => JSON.parse(l));
}

/**
 * The upstream's log up to now. Its stdout reaches this process asynchronously (a line may land after the
 * next test started), so a marker request is sent straight to the upstream and waited for: lines arrive in
 * order, so every request the upstream saw before it is in the log. Marker lines are left out.
 */
async function settledUpstreamLog(): Promise<ReturnType<typeof upstreamLog>> {
  const marker = `marker-${randomUUID()}`;
  await fetch(`${upstream!.url}/diagnostics/marker`, { headers: { 'x-request-id': marker } });
  for (let i = 0; i < 400 && !upstreamLog().some((l) => l.requestId === marker); i++) await new Promise((r) => setTimeout(r, 25));
  expect(upstreamLog().some((l) => l.requestId === marker), 'the marker line reached the log').toBe(true);
  return upstreamLog().filter((l) => !l.requestId?.startsWith('marker-'));
}

/** A raw GET (fetch would resolve `..` and `%2e%2e` before sending). */
function rawGet(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject).end();
  });
}

beforeAll(async () => {
  online = await registryReachable('test/cli gateway');
  if (!online) return;
  work = makeTempDir('bastion-gateway-e2e-');
  base = await newAppWith(work, tarballs(), ['@nestjs/platform-fastify@^{major}', 'undici@^7.0.0']);
  const testing = await import(pathToFileURL(join(base, 'node_modules', '@bastion', 'nest', 'dist', 'esm', 'testing', 'index.js')).href);
  issuer = (await testing.TestIssuer.start()) as Issuer;
  op = await startProvider();

  const dir = copyApp('upstream');
  await nestG(['init'], dir);
  editJson(join(dir, 'bastion.json'), (c) => {
    c.resources = { orders: { fields: ORDER_FIELDS } };
    c.defaultBoundary = 'internal';
  });
  await nestG(['sres', 'orders'], dir);
  expect(readFileSync(join(dir, 'src', 'orders', 'orders.controller.ts'), 'utf8')).toContain("@Boundary('internal')");
  // The `internal` boundary: only the gateway's client, with oidc-provider's RFC 9068 access tokens. Plain HTTP
  // on loopback, and the gateway's Forwarded header says proto=http.
  edit(join(dir, 'src', 'bastion.config.ts'), /return \{ jwt: \{ issuer, audience: (.*), jwksUri \} \};/,
    `return { jwt: { issuer, audience: $1, jwksUri, profile: 'rfc9068' }, boundaries: { internal: { accept: ['jwt'], clients: ['${CLIENTS.basic.client_id}'] } }, https: { enforce: false } };`);
  writeFileSync(join(dir, 'src', 'diagnostics.controller.ts'), DIAGNOSTICS);
  edit(join(dir, 'src', 'app.module.ts'), /controllers: \[AppController/, 'controllers: [DiagnosticsController, AppController');
  edit(join(dir, 'src', 'app.module.ts'), /^/, "import { DiagnosticsController } from './diagnostics.controller.js';\n");
  edit(join(dir, 'src', 'main.ts'), /(configureBastion\(app\);\n)/, `$1${REQUEST_LOG}`);
  edit(join(dir, 'src', 'main.ts'), /^/, "import { createHash } from 'node:crypto';\n");
  await nest(['build'], dir);
  upstream = await startBuiltApp(dir, { issuer: op.issuer, audience: 'orders-api', jwksUri: `${op.issuer}/jwks` });
}, 900_000);

afterAll(async () => {
  upstream?.app.kill();
  await issuer?.close();
  await op?.close();
  removeInBackground(work);
});

describe.each([['express'], ['fastify']] as const)('a gateway generated with nest g -c @bastion/schematics gateway (%s)', (platform) => {
  let gateway: Started | undefined;
  let user = '';

  beforeAll(async () => {
    if (!online) return;
    const dir = copyApp(`gateway-${platform}`);
    if (platform === 'fastify') writeFileSync(join(dir, 'src', 'main.ts'), FASTIFY_MAIN);
    await nestG(['init'], dir);
    const cc = { type: 'client-credentials', scope: 'orders:read' };
    editJson(join(dir, 'bastion.json'), (c) => {
      c.gateway = {
        upstreams: {
          orders: { prefix: '/orders', methods: ['GET'], scopes: ['orders:read'], allowInsecureHttp: true, auth: cc },
          slow: { prefix: '/slow', scopes: ['orders:read'], timeoutMs: 1500, allowInsecureHttp: true, auth: cc },
          big: { prefix: '/big', scopes: ['orders:read'], maxResponseBytes: 1024, allowInsecureHttp: true, auth: cc },
        },
      };
    });
    const generated = await nestG(['gateway', 'edge'], dir);
    expect(generated).toMatch(/CREATE src\/edge\/edge\.routes\.ts/);
    await nest(['build'], dir);
    gateway = await startBuiltApp(dir, issuer!, {
      ORDERS_UPSTREAM_URL: `${upstream!.url}/orders`,
      SLOW_UPSTREAM_URL: `${upstream!.url}/diagnostics/slow`,
      BIG_UPSTREAM_URL: `${upstream!.url}/diagnostics/big`,
      GATEWAY_TOKEN_ENDPOINT: `${op!.issuer}/token`,
      GATEWAY_CLIENT_ID: CLIENTS.basic.client_id,
      GATEWAY_CLIENT_SECRET: CLIENTS.basic.client_secret,
    });
    user = await issuer!.sign({ sub: 'alice', scope: 'orders:read' });
  }, 600_000);

  afterAll(() => {
    gateway?.app.kill();
  });

  const get = (path: string, token?: string) => fetch(`${gateway!.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it("the right scope gets the upstream's answer; the upstream sees the gateway's token, never the user's", async (ctx) => {
    if (!online) return ctx.skip();
    const res = await get('/orders', user);
    const body = await res.text();
    expect(res.status, body).toBe(200);
    const direct = await fetch(`${upstream!.url}/orders`, { headers: { authorization: `Bearer ${await clientCredentialsToken(op!.issuer, 'orders:read')}` } });
    expect(direct.status).toBe(200);
    expect(JSON.parse(body)).toEqual(await direct.json());
    const seen = upstreamLog().find((l) => l.requestId === res.headers.get('x-request-id'));
    expect(seen, upstream!.output()).toMatchObject({ upstreamSaw: '/orders', authorization: expect.any(String) });
    // Every request that came through a gateway (it carries the gateway's X-Request-Id) had the gateway's credential.
    expect(upstreamLog().filter((l) => l.requestId !== undefined).map((l) => l.authorization)).not.toContain(sha256(`Bearer ${user}`));
  });

  it('no scope → 403 at the gateway, and the upstream sees nothing', async (ctx) => {
    if (!online) return ctx.skip();
    const before = (await settledUpstreamLog()).length;
    const res = await get('/orders', await issuer!.sign({ sub: 'bob', scope: 'profile' }));
    expect(res.status, await res.text()).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await settledUpstreamLog()).toHaveLength(before);
  });

  it("the user's token sent to the upstream directly → 401", async (ctx) => {
    if (!online) return ctx.skip();
    const res = await fetch(`${upstream!.url}/orders`, { headers: { authorization: `Bearer ${user}` } });
    expect(res.status, await res.text()).toBe(401);
  });

  it('a slow upstream → 504; an oversized answer → 502 without its body', async (ctx) => {
    if (!online) return ctx.skip();
    const slow = await get('/slow', user);
    const slowBody = await slow.text();
    expect(slow.status, slowBody).toBe(504);
    expect(JSON.parse(slowBody)).toMatchObject({ code: 'ERR_GATEWAY_TIMEOUT' });
    const big = await get('/big', user);
    const bigBody = await big.text();
    expect(big.status, bigBody).toBe(502);
    expect(JSON.parse(bigBody)).toMatchObject({ code: 'ERR_UPSTREAM_RESPONSE_TOO_LARGE' });
    expect(bigBody).not.toContain('BBBB');
  });

  it('../ and %2e%2e%2f → 400 before the upstream is called', async (ctx) => {
    if (!online) return ctx.skip();
    const before = (await settledUpstreamLog()).length;
    for (const path of ['/orders/../diagnostics/big', '/orders/%2e%2e%2fdiagnostics/big']) {
      const res = await rawGet(gateway!.url, path, { authorization: `Bearer ${user}` });
      expect(res.status, `${path}: ${res.body}`).toBe(400);
    }
    expect(await settledUpstreamLog()).toHaveLength(before);
    expect(gateway!.output()).not.toContain(user);
    expect(gateway!.output()).not.toContain(CLIENTS.basic.client_secret);
  });
});

// The gateway as a new app of a Nest monorepo (Express): `nest g … gateway edge` with `"gateway": { "app": true }`
// (nest g passes no unknown flag such as --app) turns the standard project into a monorepo, as `nest g app` does.
describe('a gateway generated as a new app of a Nest monorepo (gateway.app, Express)', () => {
  let dir = '';
  let generated = '';
  let edge: Started | undefined;
  let existing: Started | undefined;
  const env = () => ({
    ORDERS_UPSTREAM_URL: `${upstream!.url}/orders`,
    GATEWAY_TOKEN_ENDPOINT: `${op!.issuer}/token`,
    GATEWAY_CLIENT_ID: CLIENTS.basic.client_id,
    GATEWAY_CLIENT_SECRET: CLIENTS.basic.client_secret,
  });

  beforeAll(async () => {
    if (!online) return;
    dir = copyApp('gateway-monorepo');
    await nestG(['init'], dir);
    editJson(join(dir, 'bastion.json'), (c) => {
      c.gateway = { app: true, upstreams: { orders: { prefix: '/orders', scopes: ['orders:read'], allowInsecureHttp: true, auth: { type: 'client-credentials', scope: 'orders:read' } } } };
    });
    // As from a user's shell: sub-app does not move the existing app under vitest's NODE_ENV=test.
    generated = await nestG(['gateway', 'edge'], dir, { NODE_ENV: 'development' });
    await nest(['build', 'edge'], dir);
    await nest(['build'], dir);
    edge = await startBuiltApp(dir, issuer!, env(), { entry: 'dist/apps/edge/apps/edge/src/main.js', ready: '/orders', readyStatus: 401 });
    existing = await startBuiltApp(dir, issuer!, {}, { entry: 'dist/apps/app/apps/app/src/main.js' });
  }, 600_000);

  afterAll(() => {
    edge?.app.kill();
    existing?.app.kill();
  });

  it('converts the project: the existing app moves to apps/app, the gateway is apps/edge', (ctx) => {
    if (!online) return ctx.skip();
    expect(generated).toMatch(/CREATE apps\/edge\/src\/upstreams\/upstreams\.routes\.ts/);
    const cli = JSON.parse(readFileSync(join(dir, 'nest-cli.json'), 'utf8'));
    expect(cli).toMatchObject({ monorepo: true, root: 'apps/app', projects: { app: { root: 'apps/app' }, edge: { root: 'apps/edge', sourceRoot: 'apps/edge/src' } } });
    expect(readFileSync(join(dir, 'apps', 'edge', 'src', 'main.ts'), 'utf8')).toContain('configureBastion(app);');
  });

  it("a request through the edge app gets the upstream's answer; the existing app answers as before", async (ctx) => {
    if (!online) return ctx.skip();
    const user = await issuer!.sign({ sub: 'alice', scope: 'orders:read' });
    const res = await fetch(`${edge!.url}/orders`, { headers: { authorization: `Bearer ${user}` } });
    const body = await res.text();
    expect(res.status, body).toBe(200);
    const direct = await fetch(`${upstream!.url}/orders`, { headers: { authorization: `Bearer ${await clientCredentialsToken(op!.issuer, 'orders:read')}` } });
    expect(JSON.parse(body)).toEqual(await direct.json());
    const denied = await fetch(`${edge!.url}/orders`, { headers: { authorization: `Bearer ${await issuer!.sign({ sub: 'bob', scope: 'profile' })}` } });
    expect(denied.status, await denied.text()).toBe(403);
    const hello = await fetch(`${existing!.url}/`);
    expect(await hello.text()).toBe('Hello World!');
    // The existing app's own e2e spec (wired by init) still passes where the conversion moved it.
    const e2e = await npm(['run', 'test:e2e'], dir);
    expect(e2e).toMatch(/apps\/app\/test\/app\.e2e-spec\.ts/);
    expect(e2e).toMatch(/Tests\s+1 passed/);
  }, 300_000);

  it('a rerun after editing bastion.json rewrites only the routes file (-p: nest g asks for a project in a monorepo)', async (ctx) => {
    if (!online) return ctx.skip();
    editJson(join(dir, 'bastion.json'), (c) => {
      (c.gateway as { upstreams: Record<string, { methods?: string[] }> }).upstreams.orders!.methods = ['GET', 'POST'];
    });
    const rerun = await nestG(['gateway', 'edge', '-p', 'edge'], dir);
    expect(rerun.split('\n').filter((l) => /^(CREATE|UPDATE|DELETE) /.test(l))).toEqual([expect.stringMatching(/^UPDATE apps\/edge\/src\/upstreams\/upstreams\.routes\.ts/)]);
    expect(readFileSync(join(dir, 'apps', 'edge', 'src', 'upstreams', 'upstreams.routes.ts'), 'utf8')).toContain("methods: ['GET', 'POST'],");
    await nest(['build', 'edge'], dir);
  }, 300_000);
});
