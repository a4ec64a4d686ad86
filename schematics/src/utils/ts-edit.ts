import * as ts from 'typescript';

/** A text replacement; applied right to left so offsets stay valid. */
interface Edit {
  pos: number;
  end: number;
  text: string;
}

function parse(fileName: string, text: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function apply(text: string, edits: Edit[]): string {
  return [...edits].sort((a, b) => b.pos - a.pos).reduce((acc, e) => acc.slice(0, e.pos) + e.text + acc.slice(e.end), text);
}

function lineIndent(text: string, pos: number): string {
  const start = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

function decoratorName(d: ts.Decorator): string | undefined {
  const e = d.expression;
  if (ts.isCallExpression(e)) {
    if (ts.isIdentifier(e.expression)) return e.expression.text;
    if (ts.isPropertyAccessExpression(e.expression)) return e.expression.name.text;
  }
  return ts.isIdentifier(e) ? e.text : undefined;
}

/**
 * Adds named imports from `from`, merging into an existing `import { … } from 'from'` (not a type-only
 * one) or adding a line after the last import. Names already imported are left alone.
 */
export function addNamedImports(fileName: string, text: string, names: string[], from: string): string {
  const sf = parse(fileName, text);
  const imports = sf.statements.filter(ts.isImportDeclaration);
  const imported = new Set<string>();
  for (const imp of imports) {
    const nb = imp.importClause?.namedBindings;
    if (nb && ts.isNamedImports(nb) && !imp.importClause?.isTypeOnly) nb.elements.forEach((el) => !el.isTypeOnly && imported.add(el.name.text));
  }
  const missing = names.filter((n) => !imported.has(n));
  if (!missing.length) return text;
  const target = imports.find(
    (imp) => ts.isStringLiteral(imp.moduleSpecifier) && imp.moduleSpecifier.text === from && !imp.importClause?.isTypeOnly &&
      imp.importClause?.namedBindings !== undefined && ts.isNamedImports(imp.importClause.namedBindings),
  );
  if (target) {
    const nb = target.importClause!.namedBindings as ts.NamedImports;
    const last = nb.elements[nb.elements.length - 1];
    const edit: Edit = last
      ? { pos: last.getEnd(), end: last.getEnd(), text: `, ${missing.join(', ')}` }
      : { pos: nb.getStart() + 1, end: nb.getEnd() - 1, text: ` ${missing.join(', ')} ` };
    return apply(text, [edit]);
  }
  const line = `import { ${missing.join(', ')} } from '${from}';`;
  const lastImport = imports[imports.length - 1];
  if (lastImport) return apply(text, [{ pos: lastImport.getEnd(), end: lastImport.getEnd(), text: `\n${line}` }]);
  return `${line}\n${text}`;
}

/** The object literal of the first `@Module({ … })` in the file, with its class name. */
function moduleMetadata(sf: ts.SourceFile): { cls: ts.ClassDeclaration; meta: ts.ObjectLiteralExpression } | undefined {
  for (const st of sf.statements) {
    if (!ts.isClassDeclaration(st)) continue;
    for (const d of ts.getDecorators(st) ?? []) {
      if (decoratorName(d) === 'Module' && ts.isCallExpression(d.expression)) {
        const arg = d.expression.arguments[0];
        if (arg && ts.isObjectLiteralExpression(arg)) return { cls: st, meta: arg };
      }
    }
  }
  return undefined;
}

export type ArrayEditResult = 'added' | 'present' | 'no-module' | 'not-an-array';

/**
 * Appends `element` to the `imports` array of the file's `@Module`, unless an element already mentions
 * `marker` (an identifier such as `BastionModule`). Keeps the array's layout (one line or one per line).
 */
export function addModuleImport(fileName: string, text: string, element: string, marker: string): { text: string; result: ArrayEditResult } {
  const sf = parse(fileName, text);
  const found = moduleMetadata(sf);
  if (!found) return { text, result: 'no-module' };
  const prop = found.meta.properties.find(
    (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === 'imports',
  );
  if (!prop) {
    const first = found.meta.properties[0];
    if (!first) {
      return { text: apply(text, [{ pos: found.meta.getStart(), end: found.meta.getEnd(), text: `{\n  imports: [${element}],\n}` }]), result: 'added' };
    }
    const indent = lineIndent(text, first.getStart());
    return { text: apply(text, [{ pos: first.getStart(), end: first.getStart(), text: `imports: [${element}],\n${indent}` }]), result: 'added' };
  }
  if (!ts.isArrayLiteralExpression(prop.initializer)) {
    return { text, result: 'not-an-array' };
  }
  const arr = prop.initializer;
  const mentions = (n: ts.Node): boolean => ts.isIdentifier(n) ? n.text === marker : ts.forEachChild(n, mentions) === true;
  if (arr.elements.some((el) => mentions(el))) return { text, result: 'present' };
  const last = arr.elements[arr.elements.length - 1];
  if (!last) {
    // An empty array becomes one element per line, as formatters lay out module metadata.
    const indent = lineIndent(text, prop.getStart());
    return { text: apply(text, [{ pos: arr.getStart(), end: arr.getEnd(), text: `[\n${indent}  ${element},\n${indent}]` }]), result: 'added' };
  }
  const multiline = text.slice(arr.getStart(), arr.getEnd()).includes('\n');
  const afterLast = text.slice(last.getEnd(), arr.getEnd() - 1);
  const trailingComma = /^\s*,/.test(afterLast);
  const at = trailingComma ? last.getEnd() + afterLast.indexOf(',') + 1 : last.getEnd();
  const sep = multiline ? `\n${lineIndent(text, last.getStart())}` : ' ';
  const insert = trailingComma ? `${sep}${element},` : `,${sep}${element}`;
  return { text: apply(text, [{ pos: at, end: at, text: insert }]), result: 'added' };
}

/** Identifier names bound by the file's imports (value and type). */
export function importedNames(fileName: string, text: string): Set<string> {
  const out = new Set<string>();
  for (const st of parse(fileName, text).statements) {
    if (!ts.isImportDeclaration(st)) continue;
    const clause = st.importClause;
    if (clause?.name) out.add(clause.name.text);
    const nb = clause?.namedBindings;
    if (nb && ts.isNamedImports(nb)) nb.elements.forEach((el) => out.add(el.name.text));
    if (nb && ts.isNamespaceImport(nb)) out.add(nb.name.text);
  }
  return out;
}

/**
 * Inserts `statement` right after the statement that creates the app (`const app = await
 * NestFactory.create…(…)`), with its indentation; `{app}` in `statement` becomes the variable's name.
 */
export function insertAfterAppCreation(fileName: string, text: string, statement: string, creation: RegExp = /NestFactory\s*\.\s*create/): { text: string; inserted: boolean } {
  const sf = parse(fileName, text);
  let found: { stmt: ts.Statement; name: string } | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isVariableStatement(n)) {
      const decl = n.declarationList.declarations[0];
      if (decl && ts.isIdentifier(decl.name) && decl.initializer && creation.test(decl.initializer.getText(sf))) {
        found = { stmt: n, name: decl.name.text };
        return;
      }
    }
    // `app = moduleFixture.createNestApplication();` in a test's beforeEach.
    if (ts.isExpressionStatement(n) && ts.isBinaryExpression(n.expression) && n.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const { left, right } = n.expression;
      if (ts.isIdentifier(left) && creation.test(right.getText(sf))) {
        found = { stmt: n, name: left.text };
        return;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  if (!found) return { text, inserted: false };
  const indent = lineIndent(text, found.stmt.getStart());
  const line = statement.replaceAll('{app}', found.name);
  return { text: apply(text, [{ pos: found.stmt.getEnd(), end: found.stmt.getEnd(), text: `\n${indent}${line}` }]), inserted: true };
}

const HTTP_METHODS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Options', 'Head', 'Search', 'Sse']);
/** Decorators that state an access decision (from `@bastion/nest`). */
export const DECISIONS = new Set(['Public', 'Authenticated', 'RequireScopes', 'RequireAnyScope', 'Roles', 'UsePolicy']);

export interface BaselineResult {
  text: string;
  /** `Class.method` of each handler that got the baseline marker. */
  marked: string[];
  /** `Class.method` of handlers left alone because they already state a decision. */
  decided: string[];
}

/**
 * Puts `@Public({ baseline: true })` on every route handler of every `@Controller` class that states no
 * access decision (neither on the method nor on the class), so an app keeps its behaviour under
 * Bastion's deny-by-default while the exposure stays greppable and visible to `bastion audit`.
 */
export function markBaselineRoutes(fileName: string, text: string): BaselineResult {
  const sf = parse(fileName, text);
  const edits: Edit[] = [];
  const marked: string[] = [];
  const decided: string[] = [];
  for (const st of sf.statements) {
    if (!ts.isClassDeclaration(st) || !st.name) continue;
    const classDecorators = (ts.getDecorators(st) ?? []).map(decoratorName);
    if (!classDecorators.includes('Controller')) continue;
    const classDecided = classDecorators.some((n) => n !== undefined && DECISIONS.has(n));
    for (const m of st.members) {
      if (!ts.isMethodDeclaration(m)) continue;
      const decorators = ts.getDecorators(m) ?? [];
      const names = decorators.map(decoratorName);
      if (!names.some((n) => n !== undefined && HTTP_METHODS.has(n))) continue;
      const label = `${st.name.text}.${m.name.getText(sf)}`;
      if (classDecided || names.some((n) => n !== undefined && DECISIONS.has(n))) {
        decided.push(label);
        continue;
      }
      const first = decorators[0]!;
      const indent = lineIndent(text, first.getStart());
      edits.push({ pos: first.getStart(), end: first.getStart(), text: `@Public({ baseline: true })\n${indent}` });
      marked.push(label);
    }
  }
  return { text: apply(text, edits), marked, decided };
}
