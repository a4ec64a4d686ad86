import { Node, type ClassDeclaration, type PropertyDeclaration, type TypeNode } from 'ts-morph';
import { resolveDecorators, type DecoratorRef } from '../analysis/decorators.js';
import { findDeclaration, importsOf } from '../analysis/file-imports.js';
import { relativePath, type Workspace } from '../project/workspace.js';
import type { Finding } from '../report/types.js';

const VALIDATOR = 'class-validator';
const TRANSFORMER = 'class-transformer';
/** Decorators that check the array itself, not its elements. */
const ARRAY_LEVEL = new Set(['IsArray', 'ArrayMinSize', 'ArrayMaxSize', 'ArrayNotEmpty', 'ArrayUnique', 'ArrayContains', 'ArrayNotContains', 'IsOptional', 'ValidateIf', 'IsDefined', 'Allow', 'ValidateNested']);
const PRIMITIVE = new Set(['string', 'number', 'boolean', 'bigint']);

/** The element type of `X[]` / `Array<X>` / `ReadonlyArray<X>`, else undefined. */
function elementType(t: TypeNode): TypeNode | undefined {
  if (Node.isArrayTypeNode(t)) return t.getElementTypeNode();
  if (Node.isTypeReference(t) && /^(Array|ReadonlyArray)$/.test(t.getTypeName().getText())) return t.getTypeArguments()[0];
  return undefined;
}

function hasEach(ref: DecoratorRef): boolean {
  return ref.args.some((a) => Node.isObjectLiteralExpression(a) && /\beach\s*:\s*true\b/.test(a.getText()));
}

/** What a type names in the project: a class, an interface/type literal (not validatable), an enum, or other. */
function kindOf(ws: Workspace, prop: PropertyDeclaration, t: TypeNode): 'class' | 'interface' | 'enum' | 'primitive' | 'other' {
  const text = t.getText();
  if (PRIMITIVE.has(text)) return 'primitive';
  if (Node.isTypeLiteral(t)) return 'interface';
  if (!Node.isTypeReference(t)) return 'other';
  const found = findDeclaration(ws.project, prop.getSourceFile(), t.getTypeName().getText());
  if (!found) return 'other';
  if (Node.isClassDeclaration(found.node)) return 'class';
  if (Node.isInterfaceDeclaration(found.node)) return 'interface';
  if (Node.isEnumDeclaration(found.node)) return 'enum';
  return 'other';
}

function propertyFindings(ws: Workspace, cls: ClassDeclaration, prop: PropertyDeclaration, refs: DecoratorRef[]): Finding | undefined {
  const t = prop.getTypeNode();
  if (!t) return undefined;
  const names = new Set(refs.map((r) => `${r.binding?.module}:${r.binding?.name}`));
  const where = `${cls.getName() ?? 'class'}.${prop.getName()}`;
  const base = { file: relativePath(ws, prop.getSourceFile().getFilePath()), line: prop.getStartLineNumber() };
  const element = elementType(t);
  const target = element ?? t;
  const kind = kindOf(ws, prop, target);
  if (kind === 'class' || kind === 'interface') {
    const missing = [
      names.has(`${VALIDATOR}:ValidateNested`) ? '' : '@ValidateNested()',
      names.has(`${TRANSFORMER}:Type`) ? '' : `@Type(() => ${target.getText()})`,
    ].filter(Boolean);
    if (kind === 'interface') {
      return { ...base, rule: 'nested-without-validation', severity: 'warning', message: `${where} is typed by ${Node.isTypeLiteral(target) ? 'an inline type' : `interface ${target.getText()}`}: its nested values are never validated (use a class with @ValidateNested() and @Type())` };
    }
    if (missing.length) return { ...base, rule: 'nested-without-validation', severity: 'warning', message: `${where} holds ${element ? 'objects' : 'an object'} of class ${target.getText()} without ${missing.join(' and ')}: its nested values are not validated` };
    return undefined;
  }
  if (element && (kind === 'primitive' || kind === 'enum')) {
    const elementRules = refs.filter((r) => r.binding?.module === VALIDATOR && !ARRAY_LEVEL.has(r.binding.name));
    if (elementRules.some(hasEach)) return undefined;
    const message = elementRules.length
      ? `${where} is an array but ${elementRules.map((r) => `@${r.binding?.name}()`).join(', ')} has no { each: true }: it checks the array itself, not its elements`
      : `${where} is an array whose elements no validator checks: add the element rule with { each: true }`;
    return { ...base, rule: 'array-without-each', severity: 'warning', message };
  }
  return undefined;
}

/** Validation findings on DTO classes (classes with class-validator decorators): nested objects and arrays. */
export function dtoFindings(ws: Workspace): Finding[] {
  const out: Finding[] = [];
  for (const file of ws.allFiles) {
    if (!file.getFullText().includes(VALIDATOR)) continue;
    const imports = importsOf(file);
    for (const cls of file.getClasses()) {
      const props = cls.getProperties().map((p) => ({ p, refs: resolveDecorators(p.getDecorators(), imports) }));
      if (!props.some(({ refs }) => refs.some((r) => r.binding?.module === VALIDATOR))) continue;
      for (const { p, refs } of props) {
        if (!refs.some((r) => r.binding?.module === VALIDATOR || r.binding?.module === TRANSFORMER)) continue;
        const f = propertyFindings(ws, cls, p, refs);
        if (f) out.push(f);
      }
    }
  }
  return out;
}
