import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { nestApp, PKG, runner } from './support.js';

import type { Observable } from 'rxjs';

const done = <T>(o: Observable<T>): Promise<T> => new Promise((res, rej) => o.subscribe({ next: res, error: rej }));
type Retrofit = (options: Record<string, unknown>) => Promise<unknown>;
const factory = () => createRequire(import.meta.url)(join(PKG, 'dist', 'retrofit', 'retrofit.factory.js')) as {
  main: (options: Record<string, unknown>, load: () => Promise<Retrofit>) => Parameters<ReturnType<typeof runner>['runner']['callRule']>[0];
};

describe('retrofit', () => {
  it('runs the codemod in dry-run mode and applies its files through the tree', async () => {
    const calls: Record<string, unknown>[] = [];
    const codemod: Retrofit = async (options) => {
      calls.push(options);
      return {
        files: [
          { file: 'src/app.controller.ts', created: false, before: '', after: '// retrofitted\n' },
          { file: 'src/app.scopes.ts', created: true, before: '', after: 'export const APP_SCOPES = {};\n' },
        ],
        skipped: [{ file: 'src/legacy.ts', line: 7, transform: 'scopes', reason: 'dynamic route path' }],
        changes: [],
      };
    };
    const tree = nestApp();
    const logs: string[] = [];
    const context = { logger: { info: (m: string) => logs.push(`info: ${m}`), warn: (m: string) => logs.push(`warn: ${m}`) } };
    const rule = factory().main({ project: 'api', transforms: 'scopes, pipes', exclude: 'src/legacy/**', cwd: '/srv/app' }, async () => codemod) as unknown as (t: unknown, c: unknown) => Promise<void>;
    await rule(tree, context);
    expect(calls).toEqual([{ project: 'tsconfig.json', cwd: '/srv/app', dryRun: true, transforms: ['scopes', 'pipes'], exclude: ['src/legacy/**'] }]);
    expect(tree.readText('src/app.controller.ts')).toBe('// retrofitted\n');
    expect(tree.readText('src/app.scopes.ts')).toBe('export const APP_SCOPES = {};\n');
    expect(logs).toContain('warn: skipped src/legacy.ts:7 (scopes): dynamic route path');
    expect(logs).toContain('info: retrofit: 2 file(s) changed, 1 skipped');
    expect(logs.join('\n')).toContain('ignored --project api');
  });

  it('takes --tsconfig, or a forwarded --project that names a tsconfig', async () => {
    const { runner: r } = runner();
    const seen: unknown[] = [];
    const codemod: Retrofit = async (o) => (seen.push(o.project), { files: [], skipped: [], changes: [] });
    await done(r.callRule(factory().main({ tsconfig: 'tsconfig.app.json' }, async () => codemod), nestApp()));
    await done(r.callRule(factory().main({ project: 'tsconfig.build.json' }, async () => codemod), nestApp()));
    expect(seen).toEqual(['tsconfig.app.json', 'tsconfig.build.json']);
  });
});

describe('retrofit with the real @bastion/codemod', () => {
  it('gives an open controller its explicit decision (a baseline marker, callers unchanged) through the tree, and a second run changes nothing', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'bastion-retrofit-'));
    try {
      const files: Record<string, string> = {
        'package.json': JSON.stringify({ name: 'shop', type: 'module', dependencies: { '@bastion/nest': '^0.1.0', '@nestjs/common': '^12.0.0' } }),
        'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'ES2023', experimentalDecorators: true, strict: true }, include: ['src'] }),
        'src/orders.controller.ts': `import { Controller, Get } from '@nestjs/common';

@Controller('orders')
export class OrdersController {
  @Get()
  findAll() {
    return [];
  }
}
`,
      };
      const tree = nestApp();
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), text);
        if (tree.exists(path)) tree.overwrite(path, text);
        else tree.create(path, text);
      }
      const rule = factory().main({ cwd: dir, transforms: 'scopes' }, undefined as never);
      const { runner: r } = runner();
      const out = await done(r.callRule(rule as never, tree));
      const controller = out.readText('src/orders.controller.ts');
      expect(controller).toMatch(/@Public\(\{ baseline: true \}\)/);
      expect(controller).toContain("from '@bastion/nest'");
      // The schematic writes through the tree only: the disk is the dry-run input, left untouched.
      const { readFileSync } = await import('node:fs');
      expect(readFileSync(join(dir, 'src/orders.controller.ts'), 'utf8')).toBe(files['src/orders.controller.ts']);
      writeFileSync(join(dir, 'src/orders.controller.ts'), controller);
      const again = await done(r.callRule(factory().main({ cwd: dir, transforms: 'scopes' }, undefined as never) as never, out));
      expect(again.readText('src/orders.controller.ts')).toBe(controller);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
