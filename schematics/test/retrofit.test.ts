import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostTree } from '@angular-devkit/schematics';
import { retrofit } from '@bastion/codemod';
import type { Observable } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { nestApp, PKG, runner } from './support.js';

const done = <T>(o: Observable<T>): Promise<T> => new Promise((res, rej) => o.subscribe({ next: res, error: rej }));
const factory = () => createRequire(import.meta.url)(join(PKG, 'dist', 'retrofit', 'retrofit.factory.js')) as {
  main: (options: Record<string, unknown>) => Parameters<ReturnType<typeof runner>['runner']['callRule']>[0];
};

const CONTROLLER = `import { Controller, Get, Param } from '@nestjs/common';

@Controller('orders')
export class OrdersController {
  @Get(':id')
  findOne(@Param('id') id: string) {
    return { id: +id };
  }
}
`;

/** Calls the rule on `tree` (changed in place) with a context that records the log lines. */
async function runLogged(options: Record<string, unknown>, tree: HostTree): Promise<string> {
  const logs: string[] = [];
  const log = (level: string) => (m: string) => logs.push(`${level}: ${m}`);
  const rule = factory().main(options) as unknown as (t: HostTree, c: unknown) => Promise<void>;
  await rule(tree, { logger: { info: log('info'), warn: log('warn') } });
  return logs.join('\n');
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A project on disk (the codemod reads it) mirrored into a schematic tree (where the schematic writes). */
function project(extra: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bastion-retrofit-'));
  dirs.push(dir);
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'shop', type: 'module', dependencies: { '@bastion/nest': '^0.1.0', '@nestjs/common': '^12.0.0', '@nestjs/core': '^12.0.0' } }),
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'ES2023', experimentalDecorators: true, emitDecoratorMetadata: true, strict: true }, include: ['src'] }),
    'src/orders.controller.ts': CONTROLLER,
    'src/legacy/old.controller.ts': CONTROLLER.replace(/Orders/g, 'Old').replace("'orders'", "'old'"),
    ...extra,
  };
  const tree = nestApp();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
    if (tree.exists(path)) tree.overwrite(path, text);
    else tree.create(path, text);
  }
  return { dir, tree };
}

describe('retrofit (the schematic runs the codemod engine)', () => {
  it('passes --transforms and --exclude to the engine, writes through the tree only, and logs the report', async () => {
    const { dir, tree } = project();
    const log = await runLogged({ cwd: dir, project: 'api', transforms: 'params', exclude: 'src/legacy/**' }, tree);
    const out = tree;
    expect(out.readText('src/orders.controller.ts')).toContain("findOne(@Param('id', ParseIntPipe) id: number) {\n    return { id };");
    expect(out.readText('src/orders.controller.ts')).not.toContain('RequireScopes');
    expect(out.readText('src/legacy/old.controller.ts')).toBe(CONTROLLER.replace(/Orders/g, 'Old').replace("'orders'", "'old'"));
    // The disk is the dry-run input, left untouched.
    expect(readFileSync(join(dir, 'src/orders.controller.ts'), 'utf8')).toBe(CONTROLLER);
    expect(log).toContain('ignored --project api');
    expect(log).toMatch(/Summary:\n.*\n.*\npolicies\s+not-selected[\s\S]*params\s+ran\s+1\s+1/);
    expect(log).toContain('OldController.findOne: in a file excluded from editing');
    expect(log).toContain('1 file(s) would change');
  });

  it('takes --tsconfig, or a forwarded --project that names a tsconfig', async () => {
    for (const options of [{ tsconfig: 'tsconfig.legacy.json' }, { project: 'tsconfig.legacy.json' }]) {
      const { dir, tree } = project({ 'tsconfig.legacy.json': JSON.stringify({ extends: './tsconfig.json', include: ['src/legacy'] }) });
      const { runner: r } = runner();
      const out = await done(r.callRule(factory().main({ cwd: dir, transforms: 'params', ...options }), tree));
      expect(out.readText('src/legacy/old.controller.ts')).toContain('ParseIntPipe');
      expect(out.readText('src/orders.controller.ts')).toBe(CONTROLLER);
    }
  });

  it('writes exactly the files the engine would, access decisions included, and a second run changes nothing', async () => {
    const { dir, tree } = project();
    const expected = await retrofit({ project: 'tsconfig.json', cwd: dir, dryRun: true, transforms: ['scopes'], exclude: ['src/legacy/**'] });
    expect(expected.files.map((f) => f.file)).toEqual(['src/orders.controller.ts']);
    const { runner: r } = runner();
    const out = await done(r.callRule(factory().main({ cwd: dir, transforms: 'scopes', exclude: 'src/legacy/**' }), tree));
    const controller = out.readText('src/orders.controller.ts');
    expect(controller).toBe(expected.files[0]!.after);
    expect(controller).toContain("from '@bastion/nest'");
    writeFileSync(join(dir, 'src/orders.controller.ts'), controller);
    const again = await done(r.callRule(factory().main({ cwd: dir, transforms: 'scopes', exclude: 'src/legacy/**' }), out));
    expect(again.readText('src/orders.controller.ts')).toBe(controller);
  });

  it('on a NestJS 7 project writes no @bastion/nest import and logs why, with the upgrade path', async () => {
    const { dir, tree } = project({
      'package.json': JSON.stringify({ name: 'legacy', dependencies: { '@bastion/nest': '^0.1.0', '@nestjs/common': '^7.6.15', '@nestjs/core': '^7.6.15' }, devDependencies: { typescript: '~3.8.3' } }),
    });
    const log = await runLogged({ cwd: dir, exclude: 'src/legacy/**' }, tree);
    const controller = tree.readText('src/orders.controller.ts');
    expect(controller).not.toContain('@bastion/nest');
    expect(controller).toContain('ParseIntPipe');
    expect(log).toContain('Versions — no @bastion/nest import was written:');
    expect(log).toContain('package.json asks for @nestjs/core ^7.6.15; @bastion/nest needs @nestjs/core ^11.0.0 || ^12.0.0');
    expect(log).toContain('1. upgrade NestJS one major version at a time (7 → 8 → 9 → 10 → 11)');
  });
});
