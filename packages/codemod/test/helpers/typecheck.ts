import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export const STUBS = join(import.meta.dirname, '..', 'stubs');

/** The stub `.d.ts` modules (Nest, passport, @bastion/nest, …) and the Node stand-ins, as `/stubs/<name>` files. */
export function stubFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const stub of readdirSync(STUBS)) files.set(`/stubs/${stub}`, readFileSync(join(STUBS, stub), 'utf8'));
  files.set('/stubs/node-globals.d.ts', readFileSync(join(import.meta.dirname, '..', 'fixtures', 'node-globals.d.ts'), 'utf8'));
  return files;
}

/** What fixture outputs are checked under: `strict`, `noUnusedLocals`, decorators with metadata, stubs for packages. */
export const STRICT_OPTIONS: ts.CompilerOptions = {
  strict: true, noUnusedLocals: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler, experimentalDecorators: true, emitDecoratorMetadata: true,
  skipLibCheck: true, types: [], lib: ['lib.es2022.d.ts'],
};

/** Runs one in-memory program over `files` and returns its diagnostics as `file:line TSxxxx message`. */
export function diagnose(compiler: typeof ts, files: Map<string, string>, options: ts.CompilerOptions, ignore: (d: ts.Diagnostic) => boolean = () => false): string[] {
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
