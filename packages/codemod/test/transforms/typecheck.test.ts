import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { discoverCases } from '../helpers/fixtures.js';

const STUBS = join(import.meta.dirname, '..', 'stubs');

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
    const host = ts.createCompilerHost(options);
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
      return text !== undefined ? ts.createSourceFile(f, text, lang, true) : getSourceFile(f, lang, onError, create);
    };
    const program = ts.createProgram([...files.keys()], options, host);
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => !(d.code === 7006 && d.file && implicitAnyOk.has(d.file.fileName)));
    const text = diagnostics.map((d) => {
      const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      return `${d.file?.fileName ?? ''}:${pos ? pos.line + 1 : 0} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(text).toEqual([]);
    expect(files.size).toBeGreaterThan(20);
  });
});
