import type { Decorator, MethodDeclaration } from 'ts-morph';
import type { ControllerInfo, RouteInfo } from '../analysis/controllers.js';
import { authenticating, decideRoute, type RouteDecision } from '../analysis/decision.js';
import { BASTION_NEST } from '../analysis/file-imports.js';
import { routeAuth, type RouteAuth } from '../analysis/protection.js';
import { analyzeSelfIssued } from '../analysis/self-issued.js';
import { servedText } from '../analysis/served.js';
import { handlerName } from '../audit/audit.js';
import { wholeLines } from '../edit/text-edits.js';
import { scopeName } from '../project/bastion-config.js';
import type { FileEdit, TransformContext } from './context.js';
import { insertMethodDecorator } from './decorator-insert.js';

/** Resource name for scopes: the last static segment of the controller path, else the class name. */
export function resourceOf(ctrl: ControllerInfo): string {
  const segments = (ctrl.paths[0] ?? '').split('/').filter((s) => s && !s.startsWith(':') && !s.startsWith('{'));
  const last = segments[segments.length - 1];
  if (last) return last.toLowerCase();
  return ctrl.name.replace(/Controller$/, '').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase() || 'resource';
}

interface Planned {
  route: RouteInfo;
  auth: RouteAuth;
  decision?: RouteDecision;
  /** Decorator text written on the method (undefined: nothing written). */
  text?: string;
  after?: string;
  scope?: string;
}

/**
 * `scopes`: gives every route an explicit access decision without changing who can call it. A route the app
 * leaves open gets `@Public({ baseline: true })`; a route the app authenticates with a bearer token gets its
 * scope (`@Authenticated()` when `bastion.json` says tokens carry no scopes) and keeps the app's guard; an
 * authentication entry point authenticated by its own credential gets `@Public()`; unknown protection is
 * left alone and reported. `lockDown` scopes open routes except entry points.
 */
export function scopesTransform(ctx: TransformContext): void {
  const carry = ctx.ws.config.tokensCarryScopes;
  // A method a base class shares with several controllers is planned once per controller, written once.
  const written = new Set<MethodDeclaration>();
  let scoped = false;
  for (const ctrl of ctx.controllers) {
    const plans = ctrl.routes.map((route) => plan(ctx, ctrl, route, carry));
    const classMarker = plans.flatMap((p) => p.auth.baselineMarkers.filter((m) => m.level === 'class'))[0];
    const dropClassMarker = classMarker !== undefined && plans.some((p) => p.text !== undefined || (p.auth.decided && !p.auth.baselineMarkers.some((m) => m.level === 'method')));
    for (const p of plans) {
      if (dropClassMarker && p.text === undefined && !p.auth.decided && !p.route.inheritedFrom && p.auth.protection.decision === 'baseline' && !p.auth.baselineMarkers.some((m) => m.level === 'method')) {
        p.text = 'baseline';
        p.after = 'baseline-public (unchanged; marker moved from the class)';
      }
      if (p.text !== undefined && !written.has(p.route.method)) {
        written.add(p.route.method);
        write(ctx, p);
        if (p.text === 'scope') scoped = true;
      }
    }
    if (dropClassMarker && classMarker) removeClassMarker(ctx, classMarker.decorator);
  }
  if (carry && scoped && !ctx.adopt) warnSelfIssued(ctx);
  const first = ctx.controllers[0];
  if (!ctx.app.bastion && !ctx.adopt && first && ctx.changesMade > 0) {
    ctx.skip(first.decorator, 'BastionModule is not imported by any module: the decisions take effect once it is (run the init schematic: nest g -c @bastion/schematics init)');
  }
}

function plan(ctx: TransformContext, ctrl: ControllerInfo, route: RouteInfo, carry: boolean): Planned {
  const auth = routeAuth(ctx.ws, route, ctx.app);
  const planned: Planned = { route, auth };
  if (auth.decided) return planned;
  const decision = decideRoute(auth.protection, { lockDown: ctx.lockDown, tokensCarryScopes: carry, adopt: ctx.adopt });
  planned.decision = decision;
  const w = decision.write;
  // A route kept under a baseline marker for a reason is one a person must decide.
  if ((w.action === 'keep' || w.action === 'baseline') && w.why) ctx.skip(route.method, `${handlerName(route)}: ${w.why}`);
  if (w.action === 'keep') return planned;
  if (w.action === 'skip') {
    ctx.skip(route.method, `${handlerName(route)}: ${w.reason}`);
    return planned;
  }
  if (route.inheritedFrom) {
    ctx.skip(route.method, `${handlerName(route)} is declared in base class ${route.inheritedFrom} (shared by its subclasses); add the decision there or override it in ${ctrl.name}`);
    // init: a baseline marker on the base method keeps every subclass's callers, and the app boots in strict mode.
    if (ctx.adopt && ctx.editable(route.declaringClass.getSourceFile())) {
      planned.text = 'baseline';
      planned.after = `baseline-public (unchanged; declared in base class ${route.inheritedFrom})`;
    }
    return planned;
  }
  if (!ctx.editable(route.declaringClass.getSourceFile())) {
    ctx.skip(route.method, `${handlerName(route)} is in a file excluded from editing`);
    return planned;
  }
  const action = ctx.ws.config.actions[route.httpMethod];
  const scope = action ? scopeName(ctx.ws.config, resourceOf(ctrl), action) : undefined;
  if ((w.action === 'scope' || w.action === 'authenticated') && !scope) {
    ctx.skip(route.method, `${handlerName(route)} uses @${route.httpMethod === 'ALL' ? 'All' : route.httpMethod}(): no action maps to it in bastion.json`);
    return planned;
  }
  const kept = auth.protection.app.status === 'authenticated' && authenticating(auth.protection).some((m) => m.credential !== 'bastion') ? '; the app\'s own check stays' : '';
  planned.scope = scope;
  switch (w.action) {
    case 'baseline':
      planned.text = 'baseline';
      planned.after = w.why ? `baseline-public (unchanged${kept}; to decide by hand)` : `baseline-public (unchanged)${auth.protection.entryPoint ? `; ${auth.protection.entryPoint.kind} entry point, --lock-down keeps it public` : ''}`;
      break;
    case 'public':
      planned.text = w.ownCredential ? 'own' : 'public';
      planned.after = `public by design: ${w.why}${w.ownCredential ? '; its Authorization header is left to the app\'s check' : ''}${kept}`;
      break;
    case 'scope':
      planned.text = 'scope';
      planned.after = `requires scope ${scope}${kept}`;
      break;
    case 'authenticated':
      planned.text = 'authenticated';
      planned.after = `authenticated (tokensCarryScopes is false: scope ${scope} not required)${kept}`;
      break;
  }
  return planned;
}

function decoratorText(fe: FileEdit, p: Planned): string {
  switch (p.text) {
    case 'baseline': return `@${fe.imports.ref(BASTION_NEST, 'Public')}({ baseline: true })`;
    case 'public': return `@${fe.imports.ref(BASTION_NEST, 'Public')}()`;
    case 'own': return `@${fe.imports.ref(BASTION_NEST, 'Public')}({ ownCredential: true })`;
    case 'authenticated': return `@${fe.imports.ref(BASTION_NEST, 'Authenticated')}()`;
    default: return `@${fe.imports.ref(BASTION_NEST, 'RequireScopes')}('${p.scope ?? ''}')`;
  }
}

function write(ctx: TransformContext, p: Planned): void {
  const { route, auth } = p;
  const fe = ctx.edit(route.declaringClass.getSourceFile());
  const text = decoratorText(fe, p);
  const methodBaseline = auth.baselineMarkers.find((m) => m.level === 'method');
  if (methodBaseline) {
    fe.edits.replace(methodBaseline.decorator.getStart(), methodBaseline.decorator.getEnd(), text);
    fe.cleanup.add(methodBaseline.decorator.getCallExpression()?.getExpression().getText() ?? 'Public');
  } else {
    insertMethodDecorator(fe, route.method, text);
  }
  const would = p.text === 'authenticated' ? ` (would require ${p.scope})` : '';
  ctx.change(route.method, `${handlerName(route)}: ${text}${would}`);
  const before = p.decision?.before ?? 'open (baseline marker on the class)';
  for (const s of auth.served) {
    ctx.access({ method: route.httpMethod, path: servedText(s, ctx.app), handler: handlerName(route), before, after: p.after ?? text, callers: p.decision?.callers ?? 'same' }, route.method);
  }
}

/** Scopes on an app that signs its own tokens: they carry none unless its sign() payloads add them. */
function warnSelfIssued(ctx: TransformContext): void {
  const found = analyzeSelfIssued(ctx.ws).found;
  const site = found?.modules[0] ?? found?.signCalls[0];
  if (!site) return;
  ctx.skip(site.call, `the app signs its own access tokens (${site.where}): routes now requiring a scope admit only tokens whose payload carries it; if they carry none, those routes refuse every token the app issues: set "tokensCarryScopes": false in bastion.json (nest g -c @bastion/schematics init does, and wires Bastion to these tokens) so retrofit writes @Authenticated() instead`);
}

function removeClassMarker(ctx: TransformContext, decorator: Decorator): void {
  const file = decorator.getSourceFile();
  if (!ctx.editable(file)) return;
  const fe = ctx.edit(file);
  const range = wholeLines(file.getFullText(), decorator.getStart(), decorator.getEnd());
  fe.edits.remove(range.start, range.end);
  fe.cleanup.add(decorator.getCallExpression()?.getExpression().getText() ?? 'Public');
  ctx.change(decorator, 'moved the class-level baseline marker @Public({ baseline: true }) to the routes that keep it');
}
