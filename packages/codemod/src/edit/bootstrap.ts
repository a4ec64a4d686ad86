import { Node, type VariableStatement } from 'ts-morph';
import { importsOf, NEST_CORE } from '../analysis/file-imports.js';
import type { SourceEdit } from './source-edit.js';
import { indentAt } from './text-edits.js';

/** The statement that creates the app (`const app = await NestFactory.create…(…)`) and the variable's name. */
export function appCreation(src: Pick<SourceEdit, 'file'>): { statement: VariableStatement; name: string } | undefined {
  const imports = importsOf(src.file);
  for (const statement of src.file.getDescendants().filter(Node.isVariableStatement)) {
    const decl = statement.getDeclarations()[0];
    const init = decl?.getInitializer();
    if (!decl || !init || !Node.isIdentifier(decl.getNameNode())) continue;
    const creates = [init, ...init.getDescendants()].some((n) => {
      if (!Node.isCallExpression(n)) return false;
      const callee = n.getExpression();
      return Node.isPropertyAccessExpression(callee) && callee.getName().startsWith('create') && imports.is(callee.getExpression(), NEST_CORE, 'NestFactory');
    });
    if (creates) return { statement, name: decl.getName() };
  }
  return undefined;
}

/**
 * True when the file calls `name` imported from `module` (directly, aliased or through a namespace), or its
 * static method `member` when given (`ConfigModule.forRoot(…)`).
 */
export function callsImported(src: Pick<SourceEdit, 'file'>, module: string, name: string, member?: string): boolean {
  const imports = importsOf(src.file);
  return src.file.getDescendants().some((n) => {
    if (!Node.isCallExpression(n)) return false;
    const callee = n.getExpression();
    if (member === undefined) return imports.is(callee, module, name);
    return Node.isPropertyAccessExpression(callee) && callee.getName() === member && imports.is(callee.getExpression(), module, name);
  });
}

/**
 * Inserts a statement on its own line right after the one that creates the app, with its indentation;
 * `statement` receives the app variable's name. False when the file creates no app this way.
 */
export function insertAfterAppCreation(src: SourceEdit, statement: (app: string) => string): boolean {
  const found = appCreation(src);
  if (!found) return false;
  const text = src.file.getFullText();
  src.edits.insert(found.statement.getEnd(), `\n${indentAt(text, found.statement.getStart())}${statement(found.name)}`);
  return true;
}
