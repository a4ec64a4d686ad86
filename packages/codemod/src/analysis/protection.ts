import { Node, type ClassDeclaration, type Decorator, type SourceFile } from 'ts-morph';
import type { Protection } from '../report/types.js';
import type { Workspace } from '../project/workspace.js';
import { globalAuthGuards, type AppConfig } from './app-config.js';
import type { RouteInfo } from './controllers.js';
import { argsText, resolveDecorators, type DecoratorRef } from './decorators.js';
import { BASTION_NEST, findDeclaration, importsOf, NEST_COMMON, type FileImports } from './file-imports.js';
import { objectProperty, stringValue } from './literals.js';

/** What one decorator contributes to a route's access decision. */
interface Effect {
  kind: 'public' | 'baseline' | 'authenticated' | 'requirement' | 'guard';
  scopes?: string[];
  anyScopes?: string[];
  roles?: string[];
  policies?: string[];
  label: string;
}

export interface RouteAuth {
  protection: Protection;
  /** Some decorator (Bastion decision, user guard, composite, user `@Public`) already decides access. */
  decided: boolean;
  /** `@Public({ baseline: true })` markers left by the `init` schematic. */
  baselineMarkers: Array<{ decorator: Decorator; level: 'method' | 'class' }>;
  /** Protected by a user guard applied globally (`APP_GUARD`/`useGlobalGuards`). */
  globalGuard?: string;
}

function strings(args: Node[]): string[] {
  return args.map((a) => stringValue(a) ?? a.getText());
}

/** Effects of one decorator call expression (`Name(args)`) resolved through `imports`; follows `applyDecorators`. */
function effectsOfCall(ws: Workspace, file: SourceFile, imports: FileImports, callee: Node, args: Node[], depth: number): Effect[] {
  const b = imports.resolve(callee);
  if (!b) return [];
  const label = `@${callee.getText()}(${args.map((a) => a.getText().replace(/\s+/g, ' ')).join(', ')})`;
  if (b.module === BASTION_NEST) {
    switch (b.name) {
      case 'Public': {
        const baseline = objectProperty(args[0], 'baseline')?.getText() === 'true';
        return [{ kind: baseline ? 'baseline' : 'public', label }];
      }
      case 'Authenticated': return [{ kind: 'authenticated', label }];
      case 'RequireScopes': return [{ kind: 'requirement', scopes: strings(args), label }];
      case 'RequireAnyScope': return [{ kind: 'requirement', anyScopes: strings(args), label }];
      case 'Roles': return [{ kind: 'requirement', roles: strings(args), label }];
      case 'UsePolicy': return [{ kind: 'requirement', policies: args.map((a) => a.getText()), label }];
      default: return [];
    }
  }
  if (b.module === NEST_COMMON && b.name === 'UseGuards') return [{ kind: 'guard', label }];
  if (b.module === NEST_COMMON && b.name === 'SetMetadata') {
    const key = args[0]?.getText() ?? '';
    return /public|skip.?auth|anonymous/i.test(key) ? [{ kind: 'public', label }] : [];
  }
  if (depth > 3 || !Node.isIdentifier(callee)) return [];
  const found = findDeclaration(ws.project, file, callee.getText());
  if (!found) return [];
  const effects = compositeEffects(ws, found.file, found.node, depth + 1);
  return effects.map((e) => ({ ...e, label: `${label} → ${e.label}` }));
}

/** A user decorator built with `applyDecorators(...)` or `SetMetadata(...)`: the effects of what it applies. */
function compositeEffects(ws: Workspace, file: SourceFile, decl: Node, depth: number): Effect[] {
  const imports = importsOf(file);
  const out: Effect[] = [];
  decl.forEachDescendant((node, traversal) => {
    if (!Node.isCallExpression(node)) return;
    const callee = node.getExpression();
    if (imports.is(callee, NEST_COMMON, 'applyDecorators')) {
      for (const arg of node.getArguments()) {
        if (Node.isCallExpression(arg)) out.push(...effectsOfCall(ws, file, imports, arg.getExpression(), arg.getArguments(), depth));
        else if (Node.isIdentifier(arg)) out.push(...effectsOfCall(ws, file, imports, arg, [], depth));
      }
      traversal.skip();
    } else if (imports.is(callee, NEST_COMMON, 'SetMetadata')) {
      out.push(...effectsOfCall(ws, file, imports, callee, node.getArguments(), depth));
    }
  });
  return out;
}

function effectsOf(ws: Workspace, file: SourceFile, refs: DecoratorRef[]): Array<{ ref: DecoratorRef; effects: Effect[] }> {
  const imports = importsOf(file);
  return refs.map((ref) => {
    const call = ref.node.getCallExpression();
    const callee = call ? call.getExpression() : ref.node.getExpression();
    return { ref, effects: effectsOfCall(ws, file, imports, callee, ref.args, 0) };
  });
}

function classChain(route: RouteInfo): ClassDeclaration[] {
  return [route.controller.cls, ...route.controller.bases];
}

/** Decides how a route is protected today, from decorators on the handler, its class chain and app-wide guards. */
export function routeAuth(ws: Workspace, route: RouteInfo, app: AppConfig): RouteAuth {
  const methodFile = route.declaringClass.getSourceFile();
  const methodEffects = effectsOf(ws, methodFile, resolveDecorators(route.method.getDecorators(), importsOf(methodFile)));
  const classEffects = classChain(route).flatMap((cls) =>
    effectsOf(ws, cls.getSourceFile(), resolveDecorators(cls.getDecorators(), importsOf(cls.getSourceFile()))).map((e) => ({ ...e, cls })),
  );
  const protection: Protection = { kind: 'none', source: 'nothing', scopes: [], anyScopes: [], roles: [], policies: [] };
  const baselineMarkers: RouteAuth['baselineMarkers'] = [];
  let decided = false;
  const pickKind = (level: 'method' | 'class', list: Array<{ ref: DecoratorRef; effects: Effect[]; cls?: ClassDeclaration }>) => {
    for (const { ref, effects, cls } of list) {
      const composite = ref.binding?.module !== BASTION_NEST && !(ref.binding?.module === NEST_COMMON);
      for (const e of effects) {
        protection.scopes.push(...(e.scopes ?? []));
        protection.anyScopes.push(...(e.anyScopes ?? []));
        protection.roles.push(...(e.roles ?? []));
        protection.policies.push(...(e.policies ?? []));
        if (e.kind === 'baseline') baselineMarkers.push({ decorator: ref.node, level });
        else decided = true;
        if (protection.kind !== 'none') continue;
        const where = level === 'class' ? ` on ${cls?.getName() ?? 'class'}` : '';
        if (composite && e.kind !== 'baseline') protection.kind = 'composite';
        else if (e.kind === 'guard') protection.kind = level === 'class' ? 'class-guard' : 'method-guard';
        else protection.kind = e.kind === 'baseline' ? 'baseline-public' : e.kind;
        protection.source = `${e.label}${where}`;
      }
    }
  };
  pickKind('method', methodEffects);
  pickKind('class', classEffects);
  const globals = globalAuthGuards(app);
  let globalGuard: string | undefined;
  if (globals.length > 0) {
    globalGuard = globals.map((g) => `${g.name} (${g.via}, ${g.file}:${g.line})`).join(', ');
    if (protection.kind === 'none') {
      protection.kind = 'global-guard';
      protection.source = globalGuard;
    }
  }
  if (protection.kind === 'none' && app.bastion) {
    protection.kind = 'bastion-default';
    protection.source = 'BastionModule (deny by default; no access decision)';
  }
  return { protection, decided, baselineMarkers, globalGuard };
}

/** `@Throttle(…)`, `@SkipThrottle()`, or app-wide throttling. */
export function routeThrottling(route: RouteInfo, app: AppConfig): string {
  const all = [
    ...resolveDecorators(route.method.getDecorators(), importsOf(route.declaringClass.getSourceFile())),
    ...classChain(route).flatMap((c) => resolveDecorators(c.getDecorators(), importsOf(c.getSourceFile()))),
  ];
  const skip = all.find((d) => d.binding?.name === 'SkipThrottle');
  if (skip) return 'skipped';
  const t = all.find((d) => d.binding?.name === 'Throttle');
  if (t) return `@Throttle(${argsText(t)})`;
  if (app.bastion || app.guards.some((g) => g.throttle)) return 'global';
  return 'none';
}
