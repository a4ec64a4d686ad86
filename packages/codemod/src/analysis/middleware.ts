import { Node, type ClassDeclaration, type MethodDeclaration } from 'ts-morph';
import type { Mechanism } from '../report/types.js';
import type { AppConfig } from './app-config.js';
import { codeSignals } from './code-signals.js';
import { NEUTRAL, type RouteInfo } from './controllers.js';
import { findDeclaration, importsOf } from './file-imports.js';
import { bodyVerdict, passportVerdict, type AuthEnv, type Verdict } from './guards.js';
import { constantString, constInitializer, objectProperty, unwrap } from './literals.js';
import { requestMethodOf, methodCovers } from './request-method.js';
import { matchDeclared, type ServedPath } from './served.js';
import { nodeText } from './where.js';

/** A route selector of `forRoutes()`/`exclude()`. */
type Target =
  | { kind: 'path'; path: string; method: string; version?: string[] }
  | { kind: 'controller'; cls: ClassDeclaration }
  | { kind: 'unknown'; text: string };

/** One `consumer.apply(...).exclude(...).forRoutes(...)` segment. */
export interface MiddlewareBinding {
  middleware: Array<{ name: string; verdict: Verdict }>;
  forRoutes: Target[];
  exclude: Target[];
  /** Inside an `if`, a loop or a callback: it may not run. */
  conditional: boolean;
  at: string;
}

const NOT_AUTH_PACKAGES = /^(helmet|cors|cookie-parser|compression|morgan|express-session|body-parser|express-rate-limit|csurf|connect-timeout|hpp|nestjs-pino|pino-http|express-winston|response-time)$/;

function classifyMiddleware(env: AuthEnv, expr: Node): Verdict {
  const node = unwrap(expr) ?? expr;
  const imports = importsOf(node.getSourceFile());
  const callee = Node.isCallExpression(node) ? node.getExpression() : node;
  const b = imports.resolve(Node.isPropertyAccessExpression(callee) ? callee.getExpression() : callee);
  if (Node.isCallExpression(node) && Node.isPropertyAccessExpression(callee) && callee.getName() === 'authenticate' && b?.module === 'passport') {
    const name = constantString(env.project, node.getArguments()[0]);
    return passportVerdict(env, name === undefined ? undefined : [name], node.getText().replace(/\s+/g, ' '));
  }
  if (b && !b.module.startsWith('.') && b.module !== '.') {
    if (NOT_AUTH_PACKAGES.test(b.module)) return { verdict: 'other', reason: `${b.module} does not authenticate`, optOutKeys: [] };
    return { verdict: 'unknown', reason: `${node.getText().slice(0, 60)} comes from ${b.module}; its code is not read`, optOutKeys: [] };
  }
  const name = Node.isIdentifier(callee) ? callee.getText() : '';
  const found = name ? findDeclaration(env.project, node.getSourceFile(), name) : undefined;
  let fn: Node | undefined;
  if (found && Node.isClassDeclaration(found.node)) fn = found.node.getMethod('use');
  else if (found && Node.isFunctionDeclaration(found.node)) fn = Node.isCallExpression(node) ? undefined : found.node;
  else if (found && Node.isVariableDeclaration(found.node)) fn = unwrap(found.node.getInitializer());
  if (!fn) return { verdict: 'unknown', reason: `${node.getText().slice(0, 60)}: middleware the analysis cannot follow`, optOutKeys: [] };
  return { ...bodyVerdict(codeSignals(env, fn), name), optOutKeys: [] };
}

function targetsOf(env: AuthEnv, args: Node[]): Target[] {
  return args.flatMap((a): Target[] => {
    const inner = unwrap(a);
    if (!inner) return [];
    if (Node.isSpreadElement(inner)) {
      const arr = unwrap(Node.isIdentifier(inner.getExpression()) ? constInitializer(env.project, inner.getExpression()) : inner.getExpression());
      return arr && Node.isArrayLiteralExpression(arr) ? targetsOf(env, arr.getElements()) : [{ kind: 'unknown', text: inner.getText() }];
    }
    const path = constantString(env.project, inner);
    if (path !== undefined) return [{ kind: 'path', path, method: 'ALL' }];
    if (Node.isObjectLiteralExpression(inner)) {
      const p = constantString(env.project, objectProperty(inner, 'path'));
      const method = requestMethodOf(objectProperty(inner, 'method'));
      if (p === undefined || !method) return [{ kind: 'unknown', text: inner.getText() }];
      const versionNode = objectProperty(inner, 'version');
      const version = versionNode ? [constantString(env.project, versionNode) ?? NEUTRAL] : undefined;
      return [{ kind: 'path', path: p, method, version }];
    }
    if (Node.isIdentifier(inner)) {
      const found = findDeclaration(env.project, inner.getSourceFile(), inner.getText());
      if (found && Node.isClassDeclaration(found.node)) return [{ kind: 'controller', cls: found.node }];
    }
    return [{ kind: 'unknown', text: inner.getText() }];
  });
}

/** Every middleware binding in the `configure(consumer)` methods of the project's modules. */
export function findMiddleware(env: AuthEnv): MiddlewareBinding[] {
  const out: MiddlewareBinding[] = [];
  for (const file of env.allFiles) {
    if (!file.getFullText().includes('forRoutes')) continue;
    for (const cls of file.getClasses()) {
      const configure = cls.getMethod('configure');
      const consumer = configure?.getParameters()[0]?.getName();
      if (!configure || !consumer) continue;
      configure.forEachDescendant((n, t) => {
        if (!Node.isExpressionStatement(n)) return;
        const chain = callChain(n.getExpression());
        if (chain[0]?.root !== consumer) return;
        out.push(...bindingsOf(env, chain, isConditional(n, configure)));
        t.skip();
      });
    }
  }
  return out;
}

function isConditional(n: Node, configure: MethodDeclaration): boolean {
  for (let p = n.getParent(); p && p !== configure; p = p.getParent()) {
    if (Node.isIfStatement(p) || Node.isConditionalExpression(p) || Node.isIterationStatement(p) || Node.isArrowFunction(p) || Node.isFunctionExpression(p) || Node.isSwitchStatement(p)) return true;
  }
  return false;
}

/** `consumer.apply(A).exclude(x).forRoutes(y).apply(B)…` → `[{ name: 'apply', args }, …]`, innermost first. */
function callChain(expr: Node): Array<{ root?: string; name: string; args: Node[] }> {
  const links: Array<{ root?: string; name: string; args: Node[] }> = [];
  let cur: Node | undefined = expr;
  while (cur && Node.isCallExpression(cur)) {
    const callee: Node = cur.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) break;
    links.unshift({ name: callee.getName(), args: cur.getArguments() });
    cur = callee.getExpression();
  }
  if (links[0] && cur && Node.isIdentifier(cur)) links[0].root = cur.getText();
  return links;
}

function bindingsOf(env: AuthEnv, chain: Array<{ name: string; args: Node[] }>, conditional: boolean): MiddlewareBinding[] {
  const out: MiddlewareBinding[] = [];
  let current: MiddlewareBinding | undefined;
  for (const link of chain) {
    if (link.name === 'apply') {
      current = {
        middleware: link.args.map((a) => ({ name: a.getText().replace(/\s+/g, ' ').slice(0, 60), verdict: classifyMiddleware(env, a) })),
        forRoutes: [], exclude: [], conditional, at: link.args[0] ? nodeText(env, link.args[0]) : '',
      };
    } else if (link.name === 'exclude' && current) {
      current.exclude.push(...targetsOf(env, link.args));
    } else if (link.name === 'forRoutes' && current) {
      current.forRoutes.push(...targetsOf(env, link.args));
      out.push(current);
      current = undefined;
    }
  }
  return out;
}

/** How much of one served path a target selects. */
function select(t: Target, route: RouteInfo, served: ServedPath, app: AppConfig, asExclusion: boolean): 'all' | 'some' | 'none' {
  if (t.kind === 'unknown') return 'some';
  if (t.kind === 'controller') return t.cls === route.controller.cls || route.controller.bases.includes(t.cls) ? 'all' : 'none';
  const method = methodCovers(t.method, route.httpMethod);
  if (method === 'none') return 'none';
  const wildcard = /^\/?(\*|\(\.\*\)|\{\*[^}]*\}|\*[\w$]+)\/?$/.test(t.path);
  // A path without a version is mounted for unversioned routes and the default versions (URI versioning).
  const uri = app.versioning?.type === 'uri';
  if (uri && served.version !== undefined && served.version !== NEUTRAL && !wildcard) {
    const versions = t.version ?? [NEUTRAL, ...(app.versioning?.defaultVersion ?? [])];
    if (!versions.includes(served.version)) return 'none';
  }
  // forRoutes('cats') is mounted with use(): it covers sub-paths; exclusions and single-method routes match exactly.
  const m = matchDeclared(t.path, served.declared, { end: asExclusion || t.method !== 'ALL', sensitive: asExclusion });
  if (m === 'invalid') return 'some';
  return method === 'some' && m === 'all' ? 'some' : m;
}

/** The middleware of a binding that runs for all of a route's requests (`all`), some of them, or none. */
export function middlewareCoverage(b: MiddlewareBinding, route: RouteInfo, served: ServedPath[], app: AppConfig): 'all' | 'some' | 'none' {
  const per = served.map((s) => {
    const inc = b.forRoutes.map((t) => select(t, route, s, app, false));
    const exc = b.exclude.map((t) => select(t, route, s, app, true));
    if (!inc.includes('all') && !inc.includes('some')) return 'none';
    if (exc.includes('all')) return 'none';
    return inc.includes('all') && !exc.includes('some') ? 'all' : 'some';
  });
  if (per.every((p) => p === 'none')) return 'none';
  if (per.every((p) => p === 'all')) return b.conditional ? 'some' : 'all';
  return 'some';
}

/** Mechanisms the middleware of the project adds to a route. Partly-covering authentication counts as unknown. */
export function middlewareMechanisms(bindings: MiddlewareBinding[], route: RouteInfo, served: ServedPath[], app: AppConfig): Mechanism[] {
  const out: Mechanism[] = [];
  for (const b of bindings) {
    const cov = middlewareCoverage(b, route, served, app);
    if (cov === 'none') continue;
    for (const m of b.middleware) {
      const partial = cov === 'some' && m.verdict.verdict === 'authenticates';
      out.push({
        level: 'middleware', name: m.name, at: b.at,
        verdict: partial ? 'unknown' : m.verdict.verdict,
        credential: m.verdict.credential, strategies: m.verdict.strategies,
        reason: partial ? `${m.verdict.reason}; but it runs for only part of this route's requests (${b.conditional ? 'applied conditionally' : 'path, method, version or exclude'})` : m.verdict.reason,
      });
    }
  }
  return out;
}
