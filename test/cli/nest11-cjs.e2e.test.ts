// The same user journey as nest-cli.e2e.test.ts on the other module system: `nest new` with the NestJS 11 CLI
// (a CommonJS app, as most production apps are) → install the packed @bastion/nest, @bastion/schematics and
// @bastion/codemod → `nest g -c @bastion/schematics init` (whose own install adds the NestJS 11 peers) →
// `sres orders` → `nest build` → the `bastion` bin audits the app → `node dist/main.js` answers an
// authenticated request; the token comes from `@bastion/nest/testing` loaded with `require` (the CJS build).
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_FIELDS, bastionAudit, nest, nestG, npm, registryReachable, removeInBackground, run, startBuiltApp } from '../support/cli.js';
import { tarballs } from '../support/pack.js';

/** The NestJS 11 CLI, fetched through the npm cache (it is not a workspace dependency: its webpack would clash). */
const NEST11_CLI = '@nestjs/cli@11.0.13';

let online = false;
let work = '';
let dir = '';
let app: ChildProcess | undefined;

beforeAll(async () => {
  online = await registryReachable('test/cli (NestJS 11, CommonJS)');
  if (!online) return;
  work = mkdtempSync(join(tmpdir(), 'bastion-cli11-e2e-'));
  await run('npx', ['--yes', NEST11_CLI, 'new', 'app', '--skip-git', '--skip-install', '--package-manager', 'npm'], work, {}, 300_000);
  dir = join(work, 'app');
  const packed = tarballs();
  // One install: the app's own dependencies and the three tarballs (the schematics' dependency on the codemod
  // is met by the codemod tarball, not fetched).
  await npm(['install', packed['@bastion/nest'], packed['@bastion/schematics'], packed['@bastion/codemod']], dir, 400_000);
}, 600_000);

afterAll(() => {
  app?.kill();
  removeInBackground(work);
});

describe('nest g -c @bastion/schematics on a NestJS 11 CommonJS `nest new` app', () => {
  it('init and sres orders, build to CommonJS, and the bastion bin audits the result', async (ctx) => {
    if (!online) return ctx.skip();
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(manifest.dependencies['@nestjs/core']).toMatch(/^\^?11\./);
    expect(manifest.type ?? 'commonjs').toBe('commonjs');

    const init = await nestG(['init'], dir);
    expect(init).toMatch(/CREATE bastion\.json/);
    expect(readFileSync(join(dir, 'src', 'main.ts'), 'utf8')).toContain('configureBastion(app);');
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies['@bastion/nest']).toMatch(/\.tgz$/); // the installed tarball is kept, not replaced
    // The peers init chose for NestJS 11, installed by its own install step.
    expect(pkg.dependencies).toMatchObject({ '@nestjs/config': '^4.0.0', '@nestjs/passport': '^11.0.0', 'class-validator': '^0.14.1' });
    expect(existsSync(join(dir, 'node_modules', '@nestjs', 'config', 'package.json'))).toBe(true);

    const config = JSON.parse(readFileSync(join(dir, 'bastion.json'), 'utf8'));
    config.resources = { orders: { fields: ORDER_FIELDS } };
    writeFileSync(join(dir, 'bastion.json'), JSON.stringify(config, null, 2) + '\n');
    const sres = await nestG(['sres', 'orders'], dir);
    expect(sres).toMatch(/CREATE src\/orders\/orders\.controller\.ts/);
    expect(sres).toMatch(/UPDATE src\/app\.module\.ts/);

    await nest(['build'], dir);
    const main = readFileSync(join(dir, 'dist', 'main.js'), 'utf8');
    expect(main).toMatch(/require\("@bastion\/nest"\)/); // CommonJS output loading the package's CJS build

    const routes = await bastionAudit(dir);
    const decision = (method: string, path: string) => routes.find((r) => r.method === method && r.path === path)?.protection;
    expect(decision('GET', '/')?.decision).toBe('baseline');
    // The generated controller names its scopes through the `ORDERS_SCOPES` constant; the audit shows them as written.
    expect(decision('GET', '/orders')).toMatchObject({ decision: 'requirement', scopes: [expect.stringMatching(/read$/)] });
    expect(decision('POST', '/orders')).toMatchObject({ decision: 'requirement', scopes: [expect.stringMatching(/write$/)] });
  }, 600_000);

  it('the built app denies an anonymous caller and serves an authenticated one', async (ctx) => {
    if (!online) return ctx.skip();
    expect(existsSync(join(dir, 'dist', 'main.js'))).toBe(true);
    const appRequire = createRequire(join(dir, 'package.json'));
    expect(appRequire.resolve('@bastion/nest/testing')).toContain(`${sep}dist${sep}cjs${sep}`);
    const { TestIssuer } = appRequire('@bastion/nest/testing') as typeof import('../../packages/nest/src/testing/index.js');
    const issuer = await TestIssuer.start();
    try {
      const started = await startBuiltApp(dir, issuer);
      ({ app } = started);
      const { url, output } = started;

      const anonymous = await fetch(`${url}/orders`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('content-type')).toContain('application/problem+json');

      const token = await issuer.sign({ sub: 'alice', scope: 'orders:write orders:read' });
      const created = await fetch(`${url}/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ item: 'book', quantity: 2 }),
      });
      const text = await created.text();
      expect(created.status, text).toBe(201);
      const order = JSON.parse(text);
      expect(order).toMatchObject({ item: 'book', quantity: 2 });
      const read = await fetch(`${url}/orders/${order.id}`, { headers: { authorization: `Bearer ${token}` } });
      expect(read.status).toBe(200);
      expect(output()).not.toMatch(/eyJ[\w-]+\.eyJ/); // no token in the app's logs
    } finally {
      app?.kill();
      await issuer.close();
    }
  }, 120_000);
});
