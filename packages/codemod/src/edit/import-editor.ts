import { Node, ts, type SourceFile } from 'ts-morph';
import { identifiersIn } from '../analysis/identifiers.js';
import { importsOf } from '../analysis/file-imports.js';
import { pascalCase } from '../dto/field-spec.js';
import type { TextEdits } from './text-edits.js';

/**
 * Adds named imports by merging into an existing import of the module, or a new import line after the
 * last one. Reuses an existing alias or namespace import (`common.ParseIntPipe`) instead of adding one.
 */
export class ImportEditor {
  /** module → names to import, each with the local name it gets (an alias when the name is taken). */
  private readonly pending = new Map<string, Array<{ name: string; local: string }>>();

  constructor(private readonly file: SourceFile, private readonly edits: TextEdits, private readonly quote = detectQuote(file)) {}

  /**
   * Returns the expression under which `name` from `module` can be used here, scheduling an import if
   * needed. When the file already binds `name` to something else, the import gets an alias
   * (`Public as BastionPublic`), so the file keeps compiling and keeps its own meaning of `name`.
   */
  ref(module: string, name: string): string {
    const existing = importsOf(this.file).localRef(module, name);
    if (existing) return existing;
    const list = this.pending.get(module) ?? [];
    const scheduled = list.find((p) => p.name === name);
    if (scheduled) return scheduled.local;
    let local = name;
    if (this.taken(local)) {
      const base = `${aliasPrefix(module)}${name}`;
      local = base;
      for (let i = 2; this.taken(local); i++) local = `${base}${i}`;
    }
    list.push({ name, local });
    this.pending.set(module, list);
    return local;
  }

  /** The file (or an import scheduled here) binds `local` already. */
  private taken(local: string): boolean {
    const imports = importsOf(this.file);
    if (imports.named.has(local) || imports.namespaces.has(local)) return true;
    if ([...this.pending.values()].some((list) => list.some((p) => p.local === local))) return true;
    const f = this.file;
    return (f.getClass(local) ?? f.getFunction(local) ?? f.getVariableDeclaration(local) ?? f.getInterface(local) ?? f.getTypeAlias(local) ?? f.getEnum(local)) !== undefined;
  }

  /** Imports were scheduled that `flush()` has not written yet. */
  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Turns the scheduled imports into text edits. */
  flush(): void {
    const decls = this.file.getImportDeclarations();
    const text = this.file.getFullText();
    const newLines: string[] = [];
    for (const [module, list] of this.pending) {
      const names = list.map((p) => (p.local === p.name ? p.name : `${p.name} as ${p.local}`));
      const target = decls.find((d) => d.getModuleSpecifierValue() === module && !d.isTypeOnly() && !d.getNamespaceImport() && d.getNamedImports().length > 0);
      if (target) {
        const named = target.getNamedImports();
        const last = named[named.length - 1]!;
        const clause = target.getImportClause()?.getNamedBindings();
        const multiline = clause !== undefined && clause.getText().includes('\n');
        if (multiline) {
          const indent = /\n([ \t]*)\S/.exec(clause.getText())?.[1] ?? '  ';
          const after = text.slice(last.getEnd()).match(/^\s*,/);
          const pos = after ? last.getEnd() + after[0].length : last.getEnd();
          this.edits.insert(pos, (after ? '' : ',') + names.map((n) => `\n${indent}${n}${after ? ',' : ''}`).join(after ? '' : ','), -1);
        } else {
          this.edits.insert(last.getEnd(), names.map((n) => `, ${n}`).join(''), -1);
        }
      } else {
        newLines.push(`import { ${names.join(', ')} } from ${this.quote}${module}${this.quote};`);
      }
    }
    if (newLines.length > 0) {
      const lastImport = decls[decls.length - 1];
      if (lastImport) this.edits.insert(lastImport.getEnd(), newLines.map((l) => `\n${l}`).join(''), -1);
      else this.edits.insert(headerEnd(this.file), newLines.join('\n') + '\n' + (this.file.getStatements().length ? '\n' : ''), -1);
    }
    this.pending.clear();
  }
}

/** `@bastion/nest` → `Bastion`, `class-validator` → `ClassValidator`, `./orders.dto.js` → `OrdersDto`. */
function aliasPrefix(module: string): string {
  const part = module.startsWith('@') ? module.slice(1).split('/')[0]! : module.startsWith('.') ? module.split('/').pop()! : module.split('/')[0]!;
  return pascalCase(part.replace(/\.[cm]?[jt]s$/, '').replace(/[^\w]+/g, '-'));
}

function detectQuote(file: SourceFile): string {
  const first = file.getImportDeclarations()[0];
  return first && first.getModuleSpecifier().getText().startsWith('"') ? '"' : "'";
}

/** Position after leading comments (licence/header) of a file without imports. */
function headerEnd(file: SourceFile): number {
  const first = file.getStatements()[0];
  if (!first) return file.getEnd();
  return Node.isNode(first) ? first.getStart() : 0;
}

/** Removes import specifiers (or whole declarations) for local names no longer referenced in the file. */
export function removeUnusedImports(file: SourceFile, names: Iterable<string>, edits: TextEdits): string[] {
  const removed: string[] = [];
  const wanted = new Set(names);
  if (wanted.size === 0) return removed;
  const used = new Set(
    identifiersIn(file, wanted, (n) => ts.isImportDeclaration(n))
      .filter((id) => !(ts.isPropertyAccessExpression(id.parent) && id.parent.name === id))
      .map((id) => id.text),
  );
  const text = file.getFullText();
  for (const decl of file.getImportDeclarations()) {
    const named = decl.getNamedImports();
    const drop = named.filter((s) => {
      const local = s.getAliasNode()?.getText() ?? s.getName();
      return wanted.has(local) && !used.has(local);
    });
    if (drop.length === 0) continue;
    removed.push(...drop.map((s) => s.getName()));
    if (drop.length === named.length && !decl.getDefaultImport() && !decl.getNamespaceImport()) {
      let end = decl.getEnd();
      if (text[end] === '\n') end += 1;
      else if (text.startsWith('\r\n', end)) end += 2;
      edits.remove(decl.getStart(), end);
      continue;
    }
    const kept = named.filter((s) => !drop.includes(s));
    const first = named[0]!;
    const last = named[named.length - 1]!;
    const sep = text.slice(first.getEnd(), named[1]?.getStart() ?? first.getEnd()) || ', ';
    edits.replace(first.getStart(), last.getEnd(), kept.map((s) => s.getText()).join(sep));
  }
  return removed;
}
