import { Node, type Statement } from 'ts-morph';
import { importsOf, NEST_CORE, type FileImports } from '../analysis/file-imports.js';
import type { SourceEdit } from './source-edit.js';
import { indentAt } from './text-edits.js';

/**
 * The call that creates the app: `NestFactory.create…(…)` (from `@nestjs/core`) in `main.ts`, or a testing
 * module's `createNestApplication(…)` in an e2e spec, where the module is a local (`moduleFixture`).
 */
export type AppFactory = 'nest-factory' | 'testing-module';

function createsApp(node: Node, imports: FileImports, factory: AppFactory): boolean {
  return [node, ...node.getDescendants()].some((n) => {
    if (!Node.isCallExpression(n)) return false;
    const callee = n.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) return false;
    if (factory === 'testing-module') return callee.getName() === 'createNestApplication';
    return callee.getName().startsWith('create') && imports.is(callee.getExpression(), NEST_CORE, 'NestFactory');
  });
}

/**
 * The statement that creates the app and the variable's name: `const app = await NestFactory.create…(…)`, or
 * an assignment such as `app = moduleFixture.createNestApplication();` in a test's `beforeEach`.
 */
export function appCreation(src: Pick<SourceEdit, 'file'>, factory: AppFactory = 'nest-factory'): { statement: Statement; name: string } | undefined {
  const imports = importsOf(src.file);
  for (const statement of src.file.getDescendants()) {
    if (Node.isVariableStatement(statement)) {
      const decl = statement.getDeclarations()[0];
      const init = decl?.getInitializer();
      if (decl && init && Node.isIdentifier(decl.getNameNode()) && createsApp(init, imports, factory)) return { statement, name: decl.getName() };
    } else if (Node.isExpressionStatement(statement)) {
      const assignment = statement.getExpression();
      if (!Node.isBinaryExpression(assignment) || assignment.getOperatorToken().getText() !== '=') continue;
      const left = assignment.getLeft();
      if (Node.isIdentifier(left) && createsApp(assignment.getRight(), imports, factory)) return { statement, name: left.getText() };
    }
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
export function insertAfterAppCreation(src: SourceEdit, statement: (app: string) => string, factory: AppFactory = 'nest-factory'): boolean {
  const found = appCreation(src, factory);
  if (!found) return false;
  const text = src.file.getFullText();
  src.edits.insert(found.statement.getEnd(), `\n${indentAt(text, found.statement.getStart())}${statement(found.name)}`);
  return true;
}
