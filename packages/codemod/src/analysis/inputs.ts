import { Node, SyntaxKind, type MethodDeclaration, type ParameterDeclaration, type SourceFile } from 'ts-morph';
import type { InputInfo } from '../report/types.js';
import type { Workspace } from '../project/workspace.js';
import { resolveDecorators, type DecoratorRef } from './decorators.js';
import { BASTION_NEST, findDeclaration, importsOf, NEST_COMMON } from './file-imports.js';
import { stringValue } from './literals.js';

export type ParamKind = 'body' | 'query' | 'param' | 'principal' | 'request' | 'other';

export interface HandlerParam {
  param: ParameterDeclaration;
  kind: ParamKind;
  decorator?: DecoratorRef;
  /** `@Body('field')` / `@Param('id')` key. */
  key?: string;
  /** Pipe arguments after the key (`@Param('id', ParseIntPipe)`). */
  pipes: Node[];
}

const PRINCIPAL_DECORATOR = /^(Current)?(User|Principal|AuthUser|Account)$/;

/** Classifies every parameter of a handler by its Nest parameter decorator. */
export function handlerParams(method: MethodDeclaration): HandlerParam[] {
  const imports = importsOf(method.getSourceFile());
  return method.getParameters().map((param) => {
    for (const ref of resolveDecorators(param.getDecorators(), imports)) {
      const b = ref.binding;
      if (!b) continue;
      if (b.module === NEST_COMMON && (b.name === 'Body' || b.name === 'Query' || b.name === 'Param')) {
        const first = ref.args[0];
        const key = stringValue(first);
        const pipes = key !== undefined ? ref.args.slice(1) : ref.args;
        return { param, kind: b.name.toLowerCase() as ParamKind, decorator: ref, key, pipes };
      }
      if (b.module === NEST_COMMON && (b.name === 'Req' || b.name === 'Request')) return { param, kind: 'request', decorator: ref, pipes: [] };
      if ((b.module === BASTION_NEST && b.name === 'CurrentPrincipal') || PRINCIPAL_DECORATOR.test(b.name)) {
        return { param, kind: 'principal', decorator: ref, pipes: [] };
      }
    }
    return { param, kind: 'other', pipes: [] };
  });
}

const PRIMITIVES = new Set(['string', 'number', 'boolean', 'bigint']);

/** How a `@Body`/`@Query` parameter is validated, from its declared type (no type checker). */
export function classifyInput(ws: Workspace, p: HandlerParam): InputInfo {
  const name = p.param.getNameNode().getText().replace(/\s+/g, ' ');
  const base = { kind: p.kind as InputInfo['kind'], key: p.key, name };
  const typeNode = p.param.getTypeNode();
  if (p.kind === 'param') {
    const parsed = p.pipes.length > 0;
    return { ...base, status: parsed ? 'parsed' : (typeNode?.getText() ?? 'string'), type: typeNode?.getText(), validated: parsed };
  }
  if (!typeNode) return { ...base, status: 'untyped', validated: false };
  const type = typeNode.getText();
  if (typeNode.getKind() === SyntaxKind.AnyKeyword || typeNode.getKind() === SyntaxKind.UnknownKeyword) return { ...base, status: 'any', type, validated: false };
  if (PRIMITIVES.has(type)) return { ...base, status: p.key !== undefined ? 'keyed' : 'other', type, validated: p.pipes.length > 0 };
  if (Node.isTypeLiteral(typeNode)) return { ...base, status: 'inline', type: 'inline literal', validated: false };
  if (Node.isTypeReference(typeNode)) {
    const refName = typeNode.getTypeName().getText();
    const file: SourceFile = p.param.getSourceFile();
    const binding = importsOf(file).named.get(refName);
    const found = findDeclaration(ws.project, file, refName);
    if (found && Node.isClassDeclaration(found.node)) {
      if (binding?.typeOnly) return { ...base, status: 'type-only-import', type, validated: false };
      return { ...base, status: 'dto', type, validated: true };
    }
    if (found && Node.isInterfaceDeclaration(found.node)) return { ...base, status: 'interface', type, validated: false };
    if (found && Node.isTypeAliasDeclaration(found.node)) return { ...base, status: 'type-alias', type, validated: false };
    if (!found && binding && !binding.module.startsWith('.')) return { ...base, status: 'external', type, validated: true };
  }
  return { ...base, status: 'other', type, validated: false };
}
