// Adoption with the real Nest CLI: a `nest new` app carrying its own authentication (the NestJS docs'
// passport recipe, its global-guard variant, and an existing app with a refresh strategy, class-level guards
// and a self-verifying webhook) → `nest g -c @bastion/schematics init` → `bastion retrofit` → `nest build`
// → the built app, over HTTP: Bastion verifies the app's own tokens, answers anonymous callers with its 401,
// and every caller keeps the access it had. Express and Fastify; one `nest new`, its node_modules shared.
// The docs recipe is reproduced as written, but for `@Request() req: any` (`nest new` turns noImplicitAny on).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adoptionSources } from '../support/adoption-fixtures.js';
import { freePort, nest, nestG, newAppWith, registryReachable, removeInBackground, run, scratchEnv } from '../support/cli.js';
import { makeTempDir, tarballs } from '../support/pack.js';

const ADAPTERS = ['express', 'fastify'] as const;
type Adapter = (typeof ADAPTERS)[number];
/** What the fixtures use beyond `nest new` and the peers `init` adds. */
const AUTH_PACKAGES = ['@nestjs/platform-fastify@^{major}', '@nestjs/jwt@^{major}', '@nestjs/passport@^{major}', 'passport@^0.7.0', 'passport-local@^1.0.0', 'passport-jwt@^4.0.1', '@types/passport-local@^1.0.38', '@types/passport-jwt@^4.0.1'];

const mainFor = (adapter: Adapter) => `import { NestFactory } from '@nestjs/core';
${adapter === 'fastify' ? "import { FastifyAdapter } from '@nestjs/platform-fastify';\n" : ''}import { AppModule } from './app.module.js';

async function bootstrap() {
  const app = await NestFactory.create(AppModule${adapter === 'fastify' ? ', new FastifyAdapter()' : ''});
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port, '127.0.0.1');
  console.log(\`LISTENING \${port}\`);
}
await bootstrap();
`;

let online = false;
let work = '';
let base = '';

beforeAll(async () => {
  online = await registryReachable('test/cli adoption');
  if (!online) return;
  work = makeTempDir('bastion-adoption-e2e-');
  base = await newAppWith(work, tarballs(), AUTH_PACKAGES);
}, 600_000);

afterAll(() => removeInBackground(work));

/** A copy of the `nest new` app (its node_modules linked, not copied) with a fixture's sources and a main for `adapter`. */
function appDir(fixture: string, adapter: Adapter): string {
  const dir = join(work, `${fixture}-${adapter}`);
  cpSync(base, dir, { recursive: true, filter: (src) => !/\/(node_modules|dist)(\/|$)/.test(src.slice(base.length)) });
  symlinkSync(join(base, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [file, text] of adoptionSources(fixture)) {
    mkdirSync(dirname(join(dir, 'src', file)), { recursive: true });
    writeFileSync(join(dir, 'src', file), text);
  }
  writeFileSync(join(dir, 'src', 'main.ts'), mainFor(adapter));
  return dir;
}

const build = (dir: string) => nest(['build'], dir);
const retrofit = (dir: string) => run(process.execPath, [join(dir, 'node_modules', '@bastion', 'codemod', 'dist', 'esm', 'cli.js'), 'retrofit'], dir);

interface Running {
  url: string;
  output(): string;
  stop(): void;
}

/** Starts `dist/main.js` and resolves once it prints the port it listens on. */
async function start(dir: string, env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['dist/main.js'], { cwd: dir, env: scratchEnv({ ...env, PORT: String(port) }), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => (output += d));
    child.stdout!.on('data', (d: Buffer) => {
      output += d;
      if (output.includes(`LISTENING ${port}`)) resolve({ url: `http://127.0.0.1:${port}`, output: () => output, stop: () => child.kill() });
    });
    child.on('exit', (code) => reject(new Error(`the app exited with ${code}:\n${output}`)));
  });
}

async function call(url: string, method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** An HS256 token as `@nestjs/jwt` signed them before `init`: no `iss`, no `aud`. */
function legacyToken(payload: Record<string, unknown>, secret: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const signed = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ ...payload, iat: now, exp: now + 60 })}`;
  return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
}

/** The audit line Bastion writes for a request id, parsed. */
function auditLine(output: string, requestId: string): Record<string, unknown> | undefined {
  const line = output.split('\n').find((l) => l.includes(requestId) && l.trimStart().startsWith('{'));
  return line ? (JSON.parse(line) as Record<string, unknown>) : undefined;
}

describe.each([['docs-recipe'], ['docs-global-guard']] as const)('the NestJS docs recipe (%s)', (fixture) => {
  describe.each(ADAPTERS)('%s', (adapter) => {
    it('init → bastion retrofit → build: login and health answer without a token; profile gets Bastion’s 401 without one and 200 with the app’s own token', async (ctx) => {
      if (!online) return ctx.skip();
      const dir = appDir(fixture, adapter);
      const init = await nestG(['init'], dir);
      expect(init).toMatch(/Authentication found in the app:/);
      expect(init).toMatch(/strategy 'jwt' = JwtStrategy \(src\/auth\/jwt\.strategy\.ts:\d+\) verifies access tokens \(HS256\)/);
      expect(init).toMatch(/!!! THE JWT SECRET WAS WRITTEN IN THE SOURCE \(src\/auth\/constants\.ts:2\)/);
      expect(init).toMatch(/CREATE src\/bastion\.config\.ts/);
      expect(init).toMatch(/UPDATE src\/auth\/constants\.ts/);
      if (fixture === 'docs-recipe' && adapter === 'express') {
        const again = await nestG(['init'], dir);
        expect(again).not.toMatch(/^(CREATE|UPDATE) /m); // idempotent
      }
      const retro = await retrofit(dir);
      expect(retro).not.toMatch(/requires scope/); // every route was decided by init
      await build(dir);

      const secret = randomBytes(48).toString('base64');
      const app = await start(dir, { JWT_SECRET: secret });
      try {
        const login = await call(app.url, 'POST', '/auth/login', {}, { username: 'john', password: 'changeme' });
        expect(login.status, login.text).toBe(201);
        const token = String(login.json().access_token);
        expect(claims(token)).toMatchObject({ sub: 1, username: 'john', iss: 'app', aud: 'app-api' });
        expect((await call(app.url, 'GET', '/health')).status).toBe(200);

        const anonymous = await call(app.url, 'GET', '/profile');
        expect(anonymous.status).toBe(401);
        expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
        const requestId = String(anonymous.json().requestId);
        expect(auditLine(app.output(), requestId)).toMatchObject({ type: 'authentication.failed', reason: 'ERR_CREDENTIAL_MISSING', route: '/profile' });

        const profile = await call(app.url, 'GET', '/profile', { authorization: `Bearer ${token}` });
        expect(profile.status, profile.text).toBe(200);
        expect(profile.json()).toEqual({ userId: 1, username: 'john' });

        // A token already out (no iss/aud) passes inside the migration window, audited; the secret that was in the source no longer verifies anything.
        const old = await call(app.url, 'GET', '/profile', { authorization: `Bearer ${legacyToken({ sub: 2, username: 'maria' }, secret)}` });
        expect(old.status, old.text).toBe(200);
        expect(app.output()).toMatch(/"type":"token\.legacy_accepted"/);
        const leaked = 'DO NOT USE THIS VALUE. INSTEAD, CREATE A COMPLEX SECRET AND KEEP IT SAFE OUTSIDE OF THE SOURCE CODE.';
        expect((await call(app.url, 'GET', '/profile', { authorization: `Bearer ${legacyToken({ sub: 1 }, leaked)}` })).status).toBe(401);
        expect(app.output()).not.toContain(secret);
        expect(app.output()).not.toContain(token);
      } finally {
        app.stop();
      }
    }, 420_000);
  });
});

const SECRETS = { JWT_SECRET: randomBytes(48).toString('base64'), JWT_REFRESH_SECRET: randomBytes(48).toString('base64'), WEBHOOK_SECRET: randomBytes(32).toString('hex') };
const ROUTES: ReadonlyArray<[string, string, unknown?]> = [
  ['POST', '/auth/login', { username: 'alice', password: 'alice-password' }],
  ['POST', '/auth/refresh'],
  ['GET', '/users/me'],
  ['GET', '/admin/stats'],
  ['POST', '/admin/reindex'],
  ['POST', '/webhooks/payments', { id: 'evt_1', amount: 500 }],
  ['GET', '/health'],
  ['GET', '/articles'],
];

/**
 * Each route's status for each caller. Access tokens go with every call (as a browser app sends them); a
 * refresh token only to the refresh route, and a signature only from the payment provider to its webhook.
 */
async function accessTable(url: string): Promise<{ table: Record<string, Record<string, number | '-'>>; userToken: string }> {
  const tokens = async (username: string) => (await call(url, 'POST', '/auth/login', {}, { username, password: `${username}-password` })).json();
  const alice = await tokens('alice');
  const root = await tokens('root');
  const signature = createHmac('sha256', SECRETS.WEBHOOK_SECRET).update(JSON.stringify(ROUTES[5]![2])).digest('hex');
  const callers: Record<string, { headers: Record<string, string>; only?: string }> = {
    anonymous: { headers: {} },
    user: { headers: { authorization: `Bearer ${String(alice.access_token)}` } },
    admin: { headers: { authorization: `Bearer ${String(root.access_token)}` } },
    refresh: { headers: { authorization: `Bearer ${String(alice.refresh_token)}` }, only: '/auth/refresh' },
    webhook: { headers: { 'x-signature': signature }, only: '/webhooks/payments' },
  };
  const table: Record<string, Record<string, number | '-'>> = {};
  for (const [method, path, body] of ROUTES) {
    const row: Record<string, number | '-'> = {};
    for (const [name, caller] of Object.entries(callers)) {
      row[name] = caller.only && caller.only !== path ? '-' : (await call(url, method, path, caller.headers, body)).status;
    }
    table[`${method} ${path}`] = row;
  }
  return { table, userToken: String(alice.access_token) };
}

describe.each(ADAPTERS)('an existing app: refresh strategy, class-level guards, a webhook checking its own HMAC (%s)', (adapter) => {
  it('after init and bastion retrofit it boots in strict mode and every route answers every caller as before', async (ctx) => {
    if (!online) return ctx.skip();
    const dir = appDir('existing-app', adapter);
    await build(dir);
    const before = await start(dir, SECRETS);
    let was: Awaited<ReturnType<typeof accessTable>>;
    try {
      was = await accessTable(before.url);
    } finally {
      before.stop();
    }
    expect(was.table['GET /admin/stats']).toEqual({ anonymous: 401, user: 403, admin: 200, refresh: '-', webhook: '-' });
    expect(was.table['POST /auth/refresh']!.refresh).toBe(201);
    expect(was.table['POST /webhooks/payments']!.webhook).toBe(204);

    const init = await nestG(['init'], dir);
    expect(init).toMatch(/passport strategy 'jwt-refresh' = JwtRefreshStrategy/);
    expect(init).toMatch(/tokens\.maxLifetime 86400 s/);
    expect(readFileSync(join(dir, 'src', 'auth', 'auth.controller.ts'), 'utf8')).toContain('@Public({ ownCredential: true })');
    await retrofit(dir);
    await build(dir);

    const after = await start(dir, SECRETS); // strict mode (the default): an undecided route would stop it here
    try {
      const now = await accessTable(after.url);
      expect(now.table).toEqual(was.table);
      expect(claims(now.userToken)).toMatchObject({ iss: 'app', aud: 'app-api' });
      // The user's token from before init (no iss/aud) still works inside the migration window.
      const old = await call(after.url, 'GET', '/users/me', { authorization: `Bearer ${was.userToken}` });
      expect(old.status, old.text).toBe(200);
      expect(after.output()).toMatch(/"type":"token\.legacy_accepted"/);
      const anonymous = await call(after.url, 'GET', '/admin/stats');
      expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(auditLine(after.output(), String(anonymous.json().requestId))).toMatchObject({ type: 'authentication.failed', reason: 'ERR_CREDENTIAL_MISSING' });
      for (const s of Object.values(SECRETS)) expect(after.output()).not.toContain(s);
    } finally {
      after.stop();
    }
  }, 480_000);
});
