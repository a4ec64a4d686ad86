import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { discoverCases } from '../helpers/fixtures.js';
import { diagnose, STRICT_OPTIONS, STUBS, stubFiles } from '../helpers/typecheck.js';

const PACKAGE = join(import.meta.dirname, '..', '..');

/**
 * Every fixture output (with its generated DTO file and extras) type-checks under `strict` and
 * `noUnusedLocals`, all in one in-process program. Stub `.d.ts` modules stand in for Nest, class-validator,
 * class-transformer and @bastion/nest.
 */
describe('fixture outputs type-check', () => {
  it('has no diagnostics under strict + noUnusedLocals', () => {
    const files = new Map<string, string>();
    const implicitAnyOk = new Set<string>();
    for (const c of discoverCases()) {
      const dir = `/fx/${c.transform}/${c.name}`;
      files.set(`${dir}/${c.name}.ts`, c.output);
      if (c.dtoOutput !== undefined) files.set(`${dir}/${c.name}.dto.ts`, c.dtoOutput);
      for (const [name, text] of c.extras) files.set(`${dir}/${name}.ts`, text);
      if (c.options.allowImplicitAny) implicitAnyOk.add(`${dir}/${c.name}.ts`);
    }
    for (const [name, text] of stubFiles()) files.set(name, text);
    const text = diagnose(ts, files, STRICT_OPTIONS, (d) => d.code === 7006 && d.file !== undefined && implicitAnyOk.has(d.file.fileName));
    expect(text).toEqual([]);
    expect(files.size).toBeGreaterThan(20);
  });

  it('the DTO and pipe outputs compile with TypeScript 3.8 against the real NestJS 7, class-validator 0.12 and class-transformer 0.3 typings', () => {
    const require = createRequire(import.meta.url);
    const ts38 = require('typescript-3.8') as typeof ts;
    expect(ts38.version).toBe('3.8.3');
    const files = new Map<string, string>();
    for (const c of discoverCases().filter((c) => c.transform === 'dtos' || c.transform === 'params')) {
      const dir = `/fx/${c.transform}/${c.name}`;
      if (c.options.allowImplicitAny) continue;
      files.set(`${dir}/${c.name}.ts`, c.output);
      if (c.dtoOutput !== undefined) files.set(`${dir}/${c.name}.dto.ts`, c.dtoOutput);
      for (const [name, text] of c.extras) files.set(`${dir}/${name}.ts`, text);
    }
    files.set('/stubs/typeorm.d.ts', readFileSync(join(STUBS, 'typeorm.d.ts'), 'utf8'));
    const real = (alias: string) => [realpathSync(join(PACKAGE, 'node_modules', alias))];
    const options: ts.CompilerOptions = {
      noEmit: true, target: ts38.ScriptTarget.ES2017, module: ts38.ModuleKind.CommonJS, moduleResolution: ts38.ModuleResolutionKind.NodeJs,
      experimentalDecorators: true, emitDecoratorMetadata: true, skipLibCheck: true, types: [], lib: ['lib.es2017.d.ts'], baseUrl: '/',
      paths: { '@nestjs/common': real('@nestjs/common-7'), 'class-validator': real('class-validator-0.12'), 'class-transformer': real('class-transformer-0.3') },
    };
    expect(diagnose(ts38, files, options)).toEqual([]);
    expect([...files.keys()].filter((f) => f.endsWith('.dto.ts')).length).toBeGreaterThan(10);
  }, 120_000);
});
