import { posix } from 'node:path';
import { Node, type ImportDeclaration, type ImportSpecifier, type Project, type SourceFile } from 'ts-morph';

export const NEST_COMMON = '@nestjs/common';
export const NEST_CORE = '@nestjs/core';
export const BASTION_NEST = '@bastion/nest';
export const THROTTLER = '@nestjs/throttler';

/** What a local name in a file refers to. `module` is `.` for declarations in the file itself. */
export interface Binding {
  module: string;
  /** Exported name (`default` for default imports). */
  name: string;
  typeOnly: boolean;
  declaration?: ImportDeclaration;
  specifier?: ImportSpecifier;
}

/** The import bindings of one file, for resolving decorator and call names syntactically (no type checker). */
export class FileImports {
  readonly named = new Map<string, Binding>();
  readonly namespaces = new Map<string, Binding>();

  constructor(readonly file: SourceFile) {
    for (const decl of file.getImportDeclarations()) {
      const module = decl.getModuleSpecifierValue();
      const typeOnly = decl.isTypeOnly();
      const ns = decl.getNamespaceImport();
      if (ns) this.namespaces.set(ns.getText(), { module, name: '*', typeOnly, declaration: decl });
      const def = decl.getDefaultImport();
      if (def) this.named.set(def.getText(), { module, name: 'default', typeOnly, declaration: decl });
      for (const spec of decl.getNamedImports()) {
        const local = spec.getAliasNode()?.getText() ?? spec.getName();
        this.named.set(local, { module, name: spec.getName(), typeOnly: typeOnly || spec.isTypeOnly(), declaration: decl, specifier: spec });
      }
    }
  }

  /** Resolves an identifier or `ns.member` expression to its module and exported name. */
  resolve(expr: Node | undefined): Binding | undefined {
    if (!expr) return undefined;
    if (Node.isIdentifier(expr)) return this.named.get(expr.getText()) ?? { module: '.', name: expr.getText(), typeOnly: false };
    if (Node.isPropertyAccessExpression(expr)) {
      const target = expr.getExpression();
      if (Node.isIdentifier(target)) {
        const ns = this.namespaces.get(target.getText());
        if (ns) return { module: ns.module, name: expr.getName(), typeOnly: ns.typeOnly, declaration: ns.declaration };
      }
    }
    return undefined;
  }

  /** True when `expr` names `name` exported by `module` (directly, aliased, or through a namespace import). */
  is(expr: Node | undefined, module: string, name: string): boolean {
    const b = this.resolve(expr);
    return b !== undefined && b.module === module && b.name === name;
  }

  /** Local identifier text under which `module`'s `name` is reachable, if imported. */
  localRef(module: string, name: string): string | undefined {
    for (const [local, b] of this.named) if (b.module === module && b.name === name && !b.typeOnly) return local;
    for (const [local, b] of this.namespaces) if (b.module === module && !b.typeOnly) return `${local}.${name}`;
    return undefined;
  }
}

const cache = new WeakMap<SourceFile, FileImports>();

/** Drops the cached bindings of a file whose text was replaced. */
export function forgetImports(file: SourceFile): void {
  cache.delete(file);
}

export function importsOf(file: SourceFile): FileImports {
  let fi = cache.get(file);
  if (!fi) {
    fi = new FileImports(file);
    cache.set(file, fi);
  }
  return fi;
}

/** Resolves a relative module specifier to a project source file, without the type checker. */
export function resolveRelative(project: Project, from: SourceFile, specifier: string): SourceFile | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = posix.join(posix.dirname(from.getFilePath()), specifier);
  const stem = base.replace(/\.(js|mjs|cjs|jsx)$/, '');
  for (const candidate of [`${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`, `${stem}/index.ts`, base]) {
    const sf = project.getSourceFile(candidate);
    if (sf) return sf;
  }
  return undefined;
}

/** A relative import specifier from `fromFile` to `toFile`, with a `.js` suffix when the module system wants one. */
export function relativeSpecifier(fromFile: string, toFile: string, jsSuffix: boolean): string {
  let rel = posix.relative(posix.dirname(fromFile), toFile).replace(/\.(ts|tsx|mts|cts)$/, '');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return jsSuffix ? `${rel}.js` : rel;
}

/** Finds a top-level declaration named `name` in `file`, following one level of relative import. */
export function findDeclaration(project: Project, file: SourceFile, name: string): { node: Node; file: SourceFile } | undefined {
  const local =
    file.getClass(name) ?? file.getInterface(name) ?? file.getTypeAlias(name) ?? file.getEnum(name) ?? file.getFunction(name) ??
    file.getVariableDeclaration(name);
  if (local) return { node: local, file };
  const binding = importsOf(file).named.get(name);
  if (!binding || !binding.module.startsWith('.')) return undefined;
  const target = resolveRelative(project, file, binding.module);
  if (!target) return undefined;
  const exported = binding.name;
  const decl =
    target.getClass(exported) ?? target.getInterface(exported) ?? target.getTypeAlias(exported) ?? target.getEnum(exported) ??
    target.getFunction(exported) ?? target.getVariableDeclaration(exported);
  if (decl) return { node: decl, file: target };
  // re-export barrels: `export { X } from './x'`
  for (const ex of target.getExportDeclarations()) {
    const spec = ex.getModuleSpecifierValue();
    if (!spec) continue;
    if (ex.getNamedExports().some((n) => (n.getAliasNode()?.getText() ?? n.getName()) === exported) || ex.getNamedExports().length === 0) {
      const next = resolveRelative(project, target, spec);
      const d = next && (next.getClass(exported) ?? next.getInterface(exported) ?? next.getTypeAlias(exported) ?? next.getEnum(exported));
      if (d && next) return { node: d, file: next };
    }
  }
  return undefined;
}
