import type { ClassDeclaration, Decorator } from 'ts-morph';
import type { Workspace } from '../project/workspace.js';
import type { AppProtection, EntryPoint, Mechanism, Protection, ProtectionKind } from '../report/types.js';
import type { AppConfig } from './app-config.js';
import type { RouteInfo } from './controllers.js';
import { argsText, resolveDecorators } from './decorators.js';
import { recognizeEntryPoint } from './entry-points.js';
import { importsOf } from './file-imports.js';
import { classifyGuard, type Verdict } from './guards.js';
import { findMiddleware, middlewareMechanisms, type MiddlewareBinding } from './middleware.js';
import { findModules, modulePathsOf, routerModulePaths, type ModuleInfo } from './modules.js';
import { PUBLIC_KEY_NAME, routeEffects, type Effect } from './route-decorators.js';
import { servedPaths, type ServedPath } from './served.js';
import { nodeText } from './where.js';

export interface RouteAuth {
  protection: Protection;
  /** A Bastion decision other than a baseline marker (`@Public()`, `@Authenticated()`, a requirement). */
  decided: boolean;
  /** `@Public({ baseline: true })` markers left by the `init` schematic. */
  baselineMarkers: Array<{ decorator: Decorator; level: 'method' | 'class' }>;
  /** Every path the route is served at. */
  served: ServedPath[];
}

/** App-wide facts computed once per analysis: classified global guards, middleware, module paths. */
interface ProtectionContext {
  globals: Array<{ mechanism: Mechanism; optOutKeys: string[] }>;
  middleware: MiddlewareBinding[];
  modules: ModuleInfo[];
  routerPaths: Map<ClassDeclaration, string[]>;
}

const contexts = new WeakMap<AppConfig, ProtectionContext>();

function contextOf(ws: Workspace, app: AppConfig): ProtectionContext {
  const hit = contexts.get(app);
  if (hit) return hit;
  const globals = app.guards.map((g) => {
    const at = `${g.file}:${g.line}`;
    const v: Verdict = g.via === 'BastionModule'
      ? { verdict: 'authenticates', credential: 'bastion', reason: 'BastionModule denies by default; @Public() opts a route out', optOutKeys: [] }
      : g.node ? classifyGuard(ws, g.node) : { verdict: 'unknown', reason: `${g.name}: provider the analysis cannot follow`, optOutKeys: [] };
    return { mechanism: mechanismOf('global', `${g.name} (${g.via}, ${at})`, at, v), optOutKeys: v.optOutKeys };
  });
  const ctx = { globals, middleware: findMiddleware(ws), modules: findModules(ws), routerPaths: routerModulePaths(ws) };
  contexts.set(app, ctx);
  return ctx;
}

function mechanismOf(level: Mechanism['level'], name: string, at: string, v: Verdict): Mechanism {
  return { level, name, at, verdict: v.verdict, credential: v.credential, strategies: v.strategies, readsAuthorization: v.readsAuthorization, reason: v.reason };
}

/** Every path a route is served at (global prefix, versions, `RouterModule`, hosts). */
export function routeServed(ws: Workspace, route: RouteInfo, app: AppConfig): ServedPath[] {
  const ctx = contextOf(ws, app);
  return servedPaths(route, app, modulePathsOf(route.controller.cls, ctx.modules, ctx.routerPaths));
}

/** Whether a guard that skips routes marked with `keys` skips this route (the app's own public marker). */
function optedOut(keys: string[], routeKeys: Map<string, string>): string | undefined {
  for (const k of keys) {
    const exact = routeKeys.get(k);
    if (exact) return exact;
    if (PUBLIC_KEY_NAME.test(k)) for (const [rk, label] of routeKeys) if (PUBLIC_KEY_NAME.test(rk)) return label;
  }
  return undefined;
}

/**
 * Decides how a route is protected: the Bastion decision on it, and what the app's own guards (global,
 * class, method, composite decorators) and middleware do. Only a mechanism that authenticates protects it.
 */
export function routeAuth(ws: Workspace, route: RouteInfo, app: AppConfig): RouteAuth {
  const ctx = contextOf(ws, app);
  const served = routeServed(ws, route, app);
  const levels = routeEffects(ws, route);
  const protection: Protection = { kind: 'none', source: 'nothing', scopes: [], anyScopes: [], roles: [], policies: [], app: { status: 'open', mechanisms: [] } };
  const baselineMarkers: RouteAuth['baselineMarkers'] = [];
  const routeKeys = new Map<string, string>();
  const guardMechanisms: Array<{ mechanism: Mechanism; optOutKeys: string[] }> = [];
  let publicEffect: { effect: Effect; level: 'method' | 'class' } | undefined;
  let decided = false;
  let bastionLabel: string | undefined;
  for (const { level, ref, cls, effects } of levels) {
    for (const e of effects) {
      protection.scopes.push(...(e.scopes ?? []));
      protection.anyScopes.push(...(e.anyScopes ?? []));
      protection.roles.push(...(e.roles ?? []));
      protection.policies.push(...(e.policies ?? []));
      const where = level === 'class' ? ` on ${cls?.getName() ?? 'class'}` : '';
      if (e.kind === 'baseline' && !e.composite) baselineMarkers.push({ decorator: ref.node, level });
      if (e.kind === 'public' || e.kind === 'baseline') {
        if (!publicEffect || (publicEffect.level === 'class' && level === 'method')) publicEffect = { effect: { ...e, label: `${e.label}${where}` }, level };
      }
      if (e.kind === 'public' || e.kind === 'authenticated' || e.kind === 'requirement') decided = true;
      if ((e.kind === 'authenticated' || e.kind === 'requirement') && !bastionLabel) bastionLabel = `${e.label}${where}`;
      if (e.kind === 'metadata' && e.key) routeKeys.set(e.key, `${e.label}${where}`);
      if (e.kind === 'guard') {
        const mLevel = e.composite ? 'composite' : level;
        for (const g of e.guards ?? []) {
          const v = classifyGuard(ws, g);
          const name = g.getText().replace(/\s+/g, ' ');
          guardMechanisms.push({ mechanism: mechanismOf(mLevel, name, nodeText(ws, ref.node), { ...v, reason: `${e.label}${where}: ${v.reason}` }), optOutKeys: v.optOutKeys });
        }
      }
    }
  }
  const decision: Protection['decision'] = publicEffect
    ? (publicEffect.effect.kind === 'baseline' ? 'baseline' : 'public')
    : protection.scopes.length || protection.anyScopes.length || protection.roles.length || protection.policies.length ? 'requirement'
      : bastionLabel ? 'authenticated' : undefined;
  protection.decision = decision;
  // Guards run global first, then class, then method; middleware runs before all of them.
  const classLevel = guardMechanisms.filter((g) => g.mechanism.level === 'class');
  const methodLevel = guardMechanisms.filter((g) => g.mechanism.level !== 'class');
  const ordered = [...ctx.globals, ...middlewareMechanisms(ctx.middleware, route, served, app).map((m) => ({ mechanism: m, optOutKeys: [] })), ...classLevel.reverse(), ...methodLevel];
  const active: Mechanism[] = [];
  const listed: Mechanism[] = [];
  let publicMarker: string | undefined;
  for (const { mechanism, optOutKeys } of ordered) {
    const bastionSkipped = mechanism.credential === 'bastion' && (decision === 'public' || decision === 'baseline');
    const marker = bastionSkipped ? publicEffect?.effect.label : optedOut(optOutKeys, routeKeys);
    if (marker) {
      if (!bastionSkipped) publicMarker = marker;
      // A copy: global mechanisms are shared by every route.
      listed.push({ ...mechanism, skippedBy: marker });
      continue;
    }
    active.push(mechanism);
    listed.push(mechanism);
  }
  const authenticating = active.find((m) => m.verdict === 'authenticates' && m.credential !== 'bastion') ?? active.find((m) => m.verdict === 'authenticates');
  const appProtection: AppProtection = {
    status: authenticating ? 'authenticated' : active.some((m) => m.verdict === 'unknown') ? 'unknown' : 'open',
    mechanisms: listed,
    publicMarker,
  };
  protection.app = appProtection;
  const entryCredentials = active.filter((m) => m.verdict === 'authenticates').every((m) => m.credential && ['password', 'refresh', 'oauth', 'signature'].includes(m.credential));
  const entryPoint = appProtection.status === 'open' || (appProtection.status === 'authenticated' && entryCredentials) ? recognizeEntryPoint(ws, route, active, served) : undefined;
  if (entryPoint) protection.entryPoint = entryPoint;
  const [kind, source] = display(decision, publicEffect?.effect.label, bastionLabel, authenticating, appProtection, entryPoint, active);
  protection.kind = kind;
  protection.source = source;
  return { protection, decided, baselineMarkers, served };
}

function display(
  decision: Protection['decision'], publicLabel: string | undefined, bastionLabel: string | undefined, auth: Mechanism | undefined,
  app: AppProtection, entry: EntryPoint | undefined, active: Mechanism[],
): [ProtectionKind, string] {
  if (decision === 'public') return ['public', publicLabel ?? '@Public()'];
  if (decision === 'authenticated' || decision === 'requirement') return [decision, bastionLabel ?? ''];
  if (auth) {
    const kinds: Record<Mechanism['level'], ProtectionKind> = { method: 'method-guard', class: 'class-guard', composite: 'composite', middleware: 'middleware', global: 'global-guard' };
    if (auth.credential === 'bastion') return ['bastion-default', 'BastionModule (deny by default; no access decision)'];
    return [kinds[auth.level], withName(auth)];
  }
  if (entry && (app.status === 'open')) return ['public-by-design', `${entry.kind} entry point: ${entry.evidence.join('; ')}`];
  if (decision === 'baseline') return ['baseline-public', publicLabel ?? '@Public({ baseline: true })'];
  if (app.status === 'unknown') {
    const unknown = active.filter((m) => m.verdict === 'unknown');
    return ['unknown', unknown.map(withName).join('; ')];
  }
  if (app.publicMarker) return ['public', `the app's own public marker ${app.publicMarker}`];
  const notes = active.map((m) => `${m.verdict}: ${withName(m)}`);
  return ['none', notes.length ? `no authenticating guard or middleware; ${notes.join('; ')}` : 'nothing'];
}

function withName(m: Mechanism): string {
  return m.reason.includes(m.name) ? m.reason : `${m.name}: ${m.reason}`;
}

/** `@Throttle(…)`, `@SkipThrottle()`, or app-wide throttling. */
export function routeThrottling(route: RouteInfo, app: AppConfig): string {
  const all = [
    ...resolveDecorators(route.method.getDecorators(), importsOf(route.declaringClass.getSourceFile())),
    ...[route.controller.cls, ...route.controller.bases].flatMap((c) => resolveDecorators(c.getDecorators(), importsOf(c.getSourceFile()))),
  ];
  const skip = all.find((d) => d.binding?.name === 'SkipThrottle');
  if (skip) return 'skipped';
  const t = all.find((d) => d.binding?.name === 'Throttle');
  if (t) return `@Throttle(${argsText(t)})`;
  if (app.bastion || app.guards.some((g) => g.throttle)) return 'global';
  return 'none';
}
