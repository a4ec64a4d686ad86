// `gateway --app`: the gateway as a new application of a Nest monorepo, through @nestjs/schematics' real
// sub-app schematic (which reads the default app's name from ./package.json and, under NODE_ENV=test, does
// not move the default app: each run gets a scratch working directory and NODE_ENV=development).
import { virtualFs } from '@angular-devkit/core';
import { HostTree, type Tree } from '@angular-devkit/schematics';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { changed, nestApp, runner, snapshot } from './support.js';

const UPSTREAMS = { orders: { prefix: '/orders', scopes: ['orders:read'], auth: { type: 'client-credentials', scope: 'orders:internal' } } };
const JEST = 'node --experimental-vm-modules ./node_modules/jest/bin/jest.js';

const restore: (() => void)[] = [];
/** The tasks (package installs) the last `run` scheduled. */
let scheduled: string[] = [];
afterEach(() => restore.splice(0).reverse().forEach((r) => r()));

/** Runs the schematic as `nest g` would: from the project's directory, outside NODE_ENV=test. */
async function run(tree: Tree, options: Record<string, unknown>): Promise<Tree> {
  const cwd = process.cwd();
  const env = process.env.NODE_ENV;
  const dir = mkdtempSync(join(tmpdir(), 'bastion-gateway-app-'));
  writeFileSync(join(dir, 'package.json'), tree.readText('package.json'));
  process.chdir(dir);
  process.env.NODE_ENV = 'development';
  restore.push(() => {
    process.chdir(cwd);
    process.env.NODE_ENV = env;
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    const { runner: r } = runner();
    const out = await r.runSchematic('gateway', options, tree);
    scheduled = r.tasks.map((t) => t.name);
    return out;
  } finally {
    restore.pop()!();
  }
}

/** What `nest new` writes besides the sources, as far as the conversion reads it. */
function standardProject(gateway: Record<string, unknown> = { upstreams: UPSTREAMS }, esm = true): Tree {
  const tree = nestApp({ esm, nestMajor: esm ? 12 : 11, runner: esm ? 'vitest' : 'jest' });
  const pkg = JSON.parse(tree.readText('package.json'));
  pkg.scripts = { build: 'nest build', 'start:prod': 'node dist/main', 'test:e2e': `${JEST} --config ./test/jest-e2e.json` };
  tree.overwrite('package.json', JSON.stringify(pkg, null, 2) + '\n');
  tree.create('tsconfig.json', JSON.stringify({ compilerOptions: { module: esm ? 'nodenext' : 'commonjs', ...(esm ? { moduleResolution: 'nodenext' } : {}), outDir: './dist', baseUrl: './' } }, null, 2));
  tree.create('test/jest-e2e.json', '{}\n');
  tree.create('test/app.e2e-spec.ts', `import { AppModule } from './../src/app.module${esm ? '.js' : ''}';\n`);
  tree.create('bastion.json', JSON.stringify({ gateway }, null, 2));
  // On a backing host, as the Nest CLI's tree is on disk (sub-app moves src/ by deleting the folder).
  return new HostTree(new virtualFs.test.TestHost(Object.fromEntries(Object.entries(snapshot(tree)).map(([p, text]) => [`/${p}`, text]))));
}

describe('gateway --app', () => {
  it('turns a standard project into a monorepo with the gateway as apps/<name>, wired as init wires an app', async () => {
    const tree = standardProject();
    const before = snapshot(tree);
    const after = snapshot(await run(tree, { name: 'edge', app: true }));

    // The existing app moved to apps/shop unchanged; it keeps its builder (none: tsc).
    for (const file of ['src/app.module.ts', 'src/main.ts', 'src/app.controller.ts', 'test/app.e2e-spec.ts']) {
      expect(after[`apps/shop/${file}`], file).toBe(before[file]);
      expect(after[file]).toBeUndefined();
    }
    const cli = JSON.parse(after['nest-cli.json']!);
    expect(cli).toMatchObject({ monorepo: true, root: 'apps/shop', sourceRoot: 'apps/shop/src' });
    expect(cli.compilerOptions.builder).toBeUndefined();
    expect(cli.projects.edge).toMatchObject({ type: 'application', root: 'apps/edge', sourceRoot: 'apps/edge/src', compilerOptions: { tsConfigPath: 'apps/edge/tsconfig.app.json' } });
    const pkg = JSON.parse(after['package.json']!);
    expect(pkg.scripts['start:prod']).toBe('node dist/apps/shop/apps/shop/src/main');
    expect(pkg.scripts['test:e2e']).toBe(`${JEST} --projects "./apps/shop/test/jest-e2e.json"`);
    expect(pkg.dependencies).toMatchObject({ '@bastion/nest': expect.any(String), '@nestjs/config': expect.any(String), undici: '^7.0.0' });
    // sub-app's rspack packages are neither added nor installed: the project keeps its builder.
    expect(Object.keys(pkg.devDependencies)).not.toEqual(expect.arrayContaining([expect.stringMatching(/rspack|webpack/)]));
    expect(pkg.devDependencies).toEqual({ ...JSON.parse(before['package.json']!).devDependencies, '@bastion/codemod': expect.any(String) });
    expect(scheduled, 'one install: the Bastion packages the new app needs').toEqual(['node-package']);

    // The gateway app: no sample controller, BastionModule and the routes module in its root module.
    expect(Object.keys(after).filter((f) => f.startsWith('apps/edge/')).sort()).toEqual([
      'apps/edge/src/bastion.config.ts', 'apps/edge/src/edge.module.ts', 'apps/edge/src/main.ts',
      'apps/edge/src/upstreams/upstreams.module.ts', 'apps/edge/src/upstreams/upstreams.routes.ts', 'apps/edge/tsconfig.app.json',
    ]);
    const root = after['apps/edge/src/edge.module.ts']!;
    expect(root).toContain('BastionModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService], useFactory: bastionOptions })');
    expect(root).toContain("import { bastionOptions } from './bastion.config.js';");
    expect(root).toContain("import { UpstreamsModule } from './upstreams/upstreams.module.js';");
    expect(root).not.toContain('EdgeController');
    expect(after['apps/edge/src/main.ts']).toMatch(/const app = await NestFactory\.create\(EdgeModule\);\n\s*configureBastion\(app\);/);
    expect(after['apps/edge/src/upstreams/upstreams.routes.ts']).toContain("url: env('ORDERS_UPSTREAM_URL'),");
    expect(after['apps/edge/src/upstreams/upstreams.module.ts']).toContain("import { gatewayUpstreams } from './upstreams.routes.js';");
    // (sub-app 12.0.13 and later also lists its tsconfig.spec.json)
    expect(JSON.parse(after['tsconfig.json']!).references).toEqual(expect.arrayContaining([{ path: './apps/shop/tsconfig.app.json' }, { path: './apps/edge/tsconfig.app.json' }]));
  });

  it('adds apps/<name> to a workspace that already is a monorepo, leaving its apps and builder alone', async () => {
    const converted = await run(standardProject(), { name: 'edge', app: true });
    const cli = JSON.parse(converted.readText('nest-cli.json'));
    cli.compilerOptions.builder = 'swc';
    converted.overwrite('nest-cli.json', JSON.stringify(cli, null, 2));
    const before = snapshot(converted);
    const after = snapshot(await run(converted, { name: 'billing-edge', app: true }));
    expect(changed(before, after).filter((f) => !f.startsWith('apps/billing-edge/'))).toEqual(['nest-cli.json', 'tsconfig.json']);
    const next = JSON.parse(after['nest-cli.json']!);
    expect(next.compilerOptions.builder).toBe('swc');
    expect(Object.keys(next.projects)).toEqual(['billing-edge', 'edge', 'shop']);
    expect(after['apps/billing-edge/src/billing-edge.module.ts']).toContain('UpstreamsModule');
    expect(after['apps/billing-edge/src/main.ts']).toContain('configureBastion(app);');
  });

  it('writes CommonJS imports in a CommonJS project', async () => {
    const after = snapshot(await run(standardProject({ upstreams: UPSTREAMS }, false), { name: 'edge', app: true }));
    expect(after['apps/edge/src/edge.module.ts']).toContain("import { UpstreamsModule } from './upstreams/upstreams.module';");
    expect(after['apps/edge/src/edge.module.ts']).toContain("import { bastionOptions } from './bastion.config';");
    expect(after['apps/edge/src/upstreams/upstreams.module.ts']).toContain("import { gatewayUpstreams } from './upstreams.routes';");
    expect(after['apps/edge/src/main.ts']).toMatch(/configureBastion\(app\);[\s\S]*\n(void )?bootstrap\(\);/);
    expect(after['apps/shop/src/app.module.ts']).toBeDefined();
  });

  it('writes nothing when sub-app leaves the default app in place (NODE_ENV=test)', async () => {
    const { runner: r } = runner();
    await expect(r.runSchematic('gateway', { name: 'edge', app: true }, standardProject())).rejects.toThrow(/did not move src\/ to apps\/\S+\/ .*NODE_ENV=test/);
  });

  it('reads "gateway.app" from bastion.json (nest g passes no unknown flags)', async () => {
    const after = snapshot(await run(standardProject({ app: true, upstreams: UPSTREAMS }), { name: 'edge' }));
    expect(after['apps/edge/src/upstreams/upstreams.routes.ts']).toContain("prefix: '/orders',");
    expect(after['src/edge/edge.module.ts']).toBeUndefined();
  });

  it('is idempotent: a second run changes nothing, and after editing bastion.json only the routes file', async () => {
    const once = await run(standardProject(), { name: 'edge', app: true });
    const first = snapshot(once);
    expect(snapshot(await run(once, { name: 'edge', app: true }))).toEqual(first);

    once.overwrite('apps/edge/src/edge.module.ts', `${first['apps/edge/src/edge.module.ts']}// my own code\n`);
    once.overwrite('bastion.json', JSON.stringify({ gateway: { app: true, upstreams: { ...UPSTREAMS, billing: { auth: { type: 'none' } } } } }));
    const before = snapshot(once);
    const after = snapshot(await run(once, { name: 'edge' }));
    expect(changed(before, after)).toEqual(['apps/edge/src/upstreams/upstreams.routes.ts']);
    expect(after['apps/edge/src/upstreams/upstreams.routes.ts']).toContain("prefix: '/billing',");
  });
});
