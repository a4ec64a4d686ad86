import { Node, type ClassDeclaration, type SourceFile } from 'ts-morph';
import type { Workspace } from '../project/workspace.js';
import type { RouteInfo } from './controllers.js';
import { resolveDecorators, type DecoratorRef } from './decorators.js';
import { BASTION_NEST, findDeclaration, importsOf, NEST_COMMON, type FileImports } from './file-imports.js';
import { metadataKeyId } from './guards.js';
import { objectProperty, stringValue, unwrap } from './literals.js';

/** What one decorator contributes to a route's access: a Bastion decision, guards, or metadata (public markers). */
export interface Effect {
  kind: 'public' | 'baseline' | 'authenticated' | 'requirement' | 'guard' | 'metadata';
  scopes?: string[];
  anyScopes?: string[];
  roles?: string[];
  policies?: string[];
  /** `UseGuards(...)` arguments. */
  guards?: Node[];
  /** Metadata key identity (`SetMetadata(key, …)`, `Reflector.createDecorator()`), see `metadataKeyId`. */
  key?: string;
  label: string;
  /** Applied through a user decorator (`applyDecorators`). */
  composite: boolean;
}

/** The decorators of a route level with their effects. */
export interface LevelEffects {
  level: 'method' | 'class';
  ref: DecoratorRef;
  cls?: ClassDeclaration;
  effects: Effect[];
}

function strings(args: Node[]): string[] {
  return args.map((a) => stringValue(a) ?? a.getText());
}

function callLabel(callee: Node, args: Node[]): string {
  return `@${callee.getText()}(${args.map((a) => a.getText().replace(/\s+/g, ' ')).join(', ')})`;
}

/** Effects of one decorator call (`Name(args)`) resolved through `imports`; follows user decorators three levels deep. */
function effectsOfCall(ws: Workspace, file: SourceFile, imports: FileImports, callee: Node, args: Node[], depth: number): Effect[] {
  const b = imports.resolve(callee);
  if (!b) return [];
  const label = callLabel(callee, args);
  const composite = depth > 0;
  if (b.module === BASTION_NEST) {
    switch (b.name) {
      case 'Public': return [{ kind: objectProperty(args[0], 'baseline')?.getText() === 'true' ? 'baseline' : 'public', label, composite }];
      case 'Authenticated': return [{ kind: 'authenticated', label, composite }];
      case 'RequireScopes': return [{ kind: 'requirement', scopes: strings(args), label, composite }];
      case 'RequireAnyScope': return [{ kind: 'requirement', anyScopes: strings(args), label, composite }];
      case 'Roles': return [{ kind: 'requirement', roles: strings(args), label, composite }];
      case 'UsePolicy': return [{ kind: 'requirement', policies: args.map((a) => a.getText()), label, composite }];
      default: return [];
    }
  }
  if (b.module === NEST_COMMON && b.name === 'UseGuards') return [{ kind: 'guard', guards: args, label, composite }];
  if (b.module === NEST_COMMON && b.name === 'SetMetadata') {
    return args[0] ? [{ kind: 'metadata', key: metadataKeyId(ws, args[0]), label, composite }] : [];
  }
  if (depth > 3 || !Node.isIdentifier(callee) || (b.module !== '.' && !b.module.startsWith('.'))) return [];
  const found = findDeclaration(ws.project, file, callee.getText());
  if (!found) return [];
  if (Node.isVariableDeclaration(found.node)) {
    const init = unwrap(found.node.getInitializer());
    if (init && Node.isCallExpression(init) && /createDecorator$/.test(init.getExpression().getText())) {
      return [{ kind: 'metadata', key: `decorator:${callee.getText()}`, label, composite }];
    }
  }
  return compositeEffects(ws, found.file, found.node, depth + 1).map((e) => ({ ...e, label: `${label} → ${e.label}`, composite: true }));
}

/** A user decorator (`applyDecorators(...)`, `SetMetadata(...)`, `UseGuards(...)`): the effects of what it applies. */
function compositeEffects(ws: Workspace, file: SourceFile, decl: Node, depth: number): Effect[] {
  const imports = importsOf(file);
  const out: Effect[] = [];
  decl.forEachDescendant((node, traversal) => {
    if (!Node.isCallExpression(node)) return;
    const callee = node.getExpression();
    if (imports.is(callee, NEST_COMMON, 'applyDecorators')) {
      for (const arg of node.getArguments()) {
        if (Node.isIdentifier(arg)) out.push(...effectsOfCall(ws, file, imports, arg, [], depth));
      }
      return;
    }
    const effects = effectsOfCall(ws, file, imports, callee, node.getArguments(), depth);
    if (effects.length > 0) {
      out.push(...effects);
      traversal.skip();
    }
  });
  return out;
}

function levelEffects(ws: Workspace, refs: DecoratorRef[], level: 'method' | 'class', file: SourceFile, cls?: ClassDeclaration): LevelEffects[] {
  const imports = importsOf(file);
  return refs.map((ref) => {
    const call = ref.node.getCallExpression();
    const callee = call ? call.getExpression() : ref.node.getExpression();
    return { level, ref, cls, effects: effectsOfCall(ws, file, imports, callee, ref.args, 0) };
  });
}

/** Effects of the handler's decorators, then of each class in the controller's chain (nearest first). */
export function routeEffects(ws: Workspace, route: RouteInfo): LevelEffects[] {
  const methodFile = route.declaringClass.getSourceFile();
  const method = levelEffects(ws, resolveDecorators(route.method.getDecorators(), importsOf(methodFile)), 'method', methodFile);
  const classes = [route.controller.cls, ...route.controller.bases].flatMap((cls) =>
    levelEffects(ws, resolveDecorators(cls.getDecorators(), importsOf(cls.getSourceFile())), 'class', cls.getSourceFile(), cls),
  );
  return [...method, ...classes];
}

/** Metadata keys whose name says "public" (`IS_PUBLIC_KEY`, `'isPublic'`, `skipAuth`, `allowAnonymous`). */
export const PUBLIC_KEY_NAME = /public|skip.?auth|anonymous|no.?auth|unauthenticated/i;
