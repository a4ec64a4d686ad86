import type { Decorator } from 'ts-morph';
import type { ControllerInfo, RouteInfo } from '../analysis/controllers.js';
import { BASTION_NEST } from '../analysis/file-imports.js';
import { routeAuth } from '../analysis/protection.js';
import { routePaths, handlerName } from '../audit/audit.js';
import { wholeLines } from '../edit/text-edits.js';
import { scopeName } from '../project/bastion-config.js';
import type { Protection } from '../report/types.js';
import type { TransformContext } from './context.js';
import { insertMethodDecorator } from './decorator-insert.js';

/** Resource name for scopes: the last static segment of the controller path, else the class name. */
export function resourceOf(ctrl: ControllerInfo): string {
  const segments = (ctrl.paths[0] ?? '').split('/').filter((s) => s && !s.startsWith(':') && !s.startsWith('{'));
  const last = segments[segments.length - 1];
  if (last) return last.toLowerCase();
  return ctrl.name.replace(/Controller$/, '').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase() || 'resource';
}

export function describeProtection(p: Protection): string {
  switch (p.kind) {
    case 'none': return 'unprotected (anyone)';
    case 'bastion-default': return 'no decision (denied by BastionModule default)';
    case 'baseline-public': return 'public (baseline marker)';
    default: return `${p.kind}: ${p.source}`;
  }
}

/**
 * `scopes`: gives every handler without an access decision `@RequireScopes('{resource}:{action}')` and
 * replaces the `init` schematic's `@Public({ baseline: true })` markers. Routes protected by user guards
 * (method, class, composite `applyDecorators`, global `APP_GUARD`) are left alone and reported.
 */
export function scopesTransform(ctx: TransformContext): void {
  const removedClassMarkers = new Set<Decorator>();
  for (const ctrl of ctx.controllers) {
    for (const route of ctrl.routes) scopeRoute(ctx, ctrl, route, removedClassMarkers);
  }
  const first = ctx.controllers[0];
  if (!ctx.app.bastion && first && ctx.changesMade > 0) {
    ctx.skip(first.decorator, 'BastionModule is not imported by any module: the scope decorators take effect once it is (run the init schematic: nest g -c @bastion/schematics init)');
  }
}

function scopeRoute(ctx: TransformContext, ctrl: ControllerInfo, route: RouteInfo, removedClassMarkers: Set<Decorator>): void {
  const file = route.declaringClass.getSourceFile();
  const auth = routeAuth(ctx.ws, route, ctx.app);
  const methodBaseline = auth.baselineMarkers.find((m) => m.level === 'method');
  const classBaseline = auth.baselineMarkers.find((m) => m.level === 'class');
  if (auth.decided && !methodBaseline && !classBaseline) {
    const k = auth.protection.kind;
    if (k === 'method-guard' || k === 'class-guard' || k === 'composite') {
      ctx.skip(route.method, `${handlerName(route)} is protected by ${auth.protection.source}; no scope added`);
    }
    return;
  }
  if (auth.decided && !methodBaseline && classBaseline) {
    removeClassMarker(ctx, classBaseline.decorator, removedClassMarkers);
    return;
  }
  if (auth.globalGuard && !methodBaseline && !classBaseline) {
    ctx.skip(route.method, `${handlerName(route)} is protected by global guard ${auth.globalGuard}; no scope added`);
    return;
  }
  if (route.inheritedFrom) {
    ctx.skip(route.method, `${handlerName(route)} is declared in base class ${route.inheritedFrom} (shared by its subclasses); add the decision there or override it in ${ctrl.name}`);
    return;
  }
  if (!ctx.editable(file)) {
    ctx.skip(route.method, `${handlerName(route)} is in a file excluded from editing`);
    return;
  }
  const action = ctx.ws.config.actions[route.httpMethod];
  if (!action) {
    ctx.skip(route.method, `${handlerName(route)} uses @${route.httpMethod === 'ALL' ? 'All' : route.httpMethod}(): no action maps to it in bastion.json`);
    return;
  }
  const scope = scopeName(ctx.ws.config, resourceOf(ctrl), action);
  const fe = ctx.edit(file);
  const ref = fe.imports.ref(BASTION_NEST, 'RequireScopes');
  const decoratorText = `@${ref}('${scope}')`;
  if (methodBaseline) {
    fe.edits.replace(methodBaseline.decorator.getStart(), methodBaseline.decorator.getEnd(), decoratorText);
    fe.cleanup.add(methodBaseline.decorator.getCallExpression()?.getExpression().getText() ?? 'Public');
  } else {
    insertMethodDecorator(fe, route.method, decoratorText);
  }
  if (classBaseline) removeClassMarker(ctx, classBaseline.decorator, removedClassMarkers);
  ctx.change(route.method, `${handlerName(route)}: ${decoratorText}`);
  const before = describeProtection(auth.protection);
  for (const path of routePaths(route, ctx.app)) {
    ctx.access({ method: route.httpMethod, path, handler: handlerName(route), before, after: `requires scope ${scope}` }, route.method);
  }
}

function removeClassMarker(ctx: TransformContext, decorator: Decorator, done: Set<Decorator>): void {
  if (done.has(decorator)) return;
  done.add(decorator);
  const file = decorator.getSourceFile();
  if (!ctx.editable(file)) return;
  const fe = ctx.edit(file);
  const range = wholeLines(file.getFullText(), decorator.getStart(), decorator.getEnd());
  fe.edits.remove(range.start, range.end);
  fe.cleanup.add(decorator.getCallExpression()?.getExpression().getText() ?? 'Public');
  ctx.change(decorator, 'removed class-level baseline marker @Public({ baseline: true })');
}
