import { BASTION_NEST, importsOf } from '../analysis/file-imports.js';
import type { FileEdit } from './context.js';

const aliases = new WeakMap<FileEdit, Map<string, string>>();

/**
 * The local name of a `@bastion/nest` export in a file. When the file already binds the name to something else
 * (the app's own `Public` or `Roles` decorator), it is imported under an alias (`BastionPublic`) so the project
 * still compiles.
 */
export function bastionRef(fe: FileEdit, name: string): string {
  const imports = importsOf(fe.file);
  const existing = imports.localRef(BASTION_NEST, name);
  if (existing) return existing;
  const taken = imports.named.has(name) || imports.namespaces.has(name) || fe.file.getClass(name) !== undefined ||
    fe.file.getFunction(name) !== undefined || fe.file.getVariableDeclaration(name) !== undefined;
  if (!taken) return fe.imports.ref(BASTION_NEST, name);
  const scheduled = aliases.get(fe) ?? new Map<string, string>();
  aliases.set(fe, scheduled);
  const known = scheduled.get(name);
  if (known) return known;
  let alias = `Bastion${name}`;
  for (let i = 2; imports.named.has(alias) || fe.file.getFullText().includes(alias); i++) alias = `Bastion${name}${i}`;
  scheduled.set(name, alias);
  const decls = fe.file.getImportDeclarations();
  const last = decls[decls.length - 1];
  const quote = decls[0]?.getModuleSpecifier().getText().startsWith('"') ? '"' : "'";
  const line = `import { ${name} as ${alias} } from ${quote}${BASTION_NEST}${quote};`;
  if (last) fe.edits.insert(last.getEnd(), `\n${line}`, -1);
  else fe.edits.insert(0, `${line}\n`, -1);
  return alias;
}
