import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { discoverCases } from '../helpers/fixtures.js';

const STUBS = join(import.meta.dirname, '..', 'stubs');
const PACKAGE = join(import.meta.dirname, '..', '..');

/** Runs one in-memory program over `files` and returns its diagnostics as `file:line TSxxxx message`. */
function diagnose(compiler: typeof ts, files: Map<string, string>, options: ts.CompilerOptions, ignore: (d: ts.Diagnostic) => boolean = () => false): string[] {
  const host = compiler.createCompilerHost(options);
  const read = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => files.get(f) ?? read(f);
  host.fileExists = (f) => files.has(f) || exists(f);
  const dirExists = host.directoryExists?.bind(host);
  host.directoryExists = (d) => [...files.keys()].some((f) => f.startsWith(`${d}/`)) || (dirExists ? dirExists(d) : false);
  host.realpath = (p) => p;
  host.getSourceFile = (f, lang, onError, create) => {
    const text = files.get(f);
    return text !== undefined ? compiler.createSourceFile(f, text, lang, true) : getSourceFile(f, lang, onError, create);
  };
  const program = compiler.createProgram([...files.keys()], options, host);
  return compiler.getPreEmitDiagnostics(program).filter((d) => !ignore(d)).map((d) => {
    const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    return `${d.file?.fileName ?? ''}:${pos ? pos.line + 1 : 0} TS${d.code} ${compiler.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

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
    for (const stub of readdirSync(STUBS)) files.set(`/stubs/${stub}`, readFileSync(join(STUBS, stub), 'utf8'));
    files.set('/stubs/node-globals.d.ts', readFileSync(join(import.meta.dirname, '..', 'fixtures', 'node-globals.d.ts'), 'utf8'));
    const options: ts.CompilerOptions = {
      strict: true, noUnusedLocals: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler, experimentalDecorators: true, emitDecoratorMetadata: true,
      skipLibCheck: true, types: [], lib: ['lib.es2022.d.ts'],
    };
    const text = diagnose(ts, files, options, (d) => d.code === 7006 && d.file !== undefined && implicitAnyOk.has(d.file.fileName));
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
