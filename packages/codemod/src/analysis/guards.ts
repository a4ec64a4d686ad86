import { Node, type ClassDeclaration, type SourceFile } from 'ts-morph';
import type { CredentialKind, MechanismVerdict } from '../report/types.js';
import { codeSignals, type CodeSignals } from './code-signals.js';
import { BASTION_NEST, findDeclaration, importsOf, THROTTLER } from './file-imports.js';
import { constantString, unwrap } from './literals.js';
import { credentialOfName, defaultStrategy, findStrategies, type StrategyInfo } from './strategies.js';
import type { Env } from './where.js';

export const PASSPORT = '@nestjs/passport';

/** What the classifier needs: the project, its files, and the passport strategies it registers. */
export interface AuthEnv extends Env {
  allFiles: SourceFile[];
}

/** A guard's or middleware's verdict, with the metadata keys that make it let a route through (public opt-outs). */
export interface Verdict {
  verdict: MechanismVerdict;
  credential?: CredentialKind;
  strategies?: string[];
  /** The credential is read from `Authorization`, where Bastion looks for access tokens. */
  readsAuthorization?: boolean;
  reason: string;
  optOutKeys: string[];
}

const NOT_AUTH_NAME = /throttl|rate-?limit|impersonat|feature|flag|maintenance|read-?only|toggle|captcha|csrf|cors|ip-?(allow|block|filter)/i;

/** Classifies the strategies of a passport `AuthGuard(...)` call. */
export function passportVerdict(env: AuthEnv, names: string[] | undefined, label: string): Verdict {
  const list = names ?? [defaultStrategy(env) ?? ''];
  if (list.some((n) => n === '')) return { verdict: 'unknown', reason: `${label}: no strategy name and no PassportModule defaultStrategy`, optOutKeys: [] };
  const known = findStrategies(env);
  const infos = list.map((n) => ({ name: n, info: known.find((s) => s.name === n) }));
  const creds = infos.map(({ name, info }) => info?.credential ?? credentialOfName(name));
  const optional = infos.find(({ name, info }) => /^(anonymous|public)$/i.test(name) || info?.module === 'passport-anonymous');
  if (optional) return { verdict: 'other', strategies: list, reason: `${label}: strategy '${optional.name}' lets anonymous requests through (optional authentication)`, optOutKeys: [] };
  const credential: CredentialKind = creds.every((c) => c === creds[0]) ? creds[0]! : creds.includes('bearer') ? 'bearer' : 'unknown';
  const where = infos.map(({ name, info }) => (info ? `strategy '${name}' = ${info.className} (${info.reason}, ${info.at})` : `strategy '${name}' (${describeName(name)})`)).join('; ');
  const readsAuthorization = infos.some(({ info }) => info?.readsAuthorization);
  return { verdict: 'authenticates', credential, strategies: list, readsAuthorization, reason: `${label.startsWith('AuthGuard') ? '' : `${label}: `}${where}`, optOutKeys: [] };
}

function describeName(name: string): string {
  const c = credentialOfName(name);
  return c === 'unknown' ? 'strategy not found in the project' : `${c} strategy, not found in the project`;
}

/** Strategy names of `AuthGuard('jwt')` / `AuthGuard(['jwt', 'api-key'])`; undefined for `AuthGuard()`. */
function strategyNames(env: AuthEnv, arg: Node | undefined): string[] | undefined | null {
  if (!arg) return undefined;
  const inner = unwrap(arg);
  const one = constantString(env.project, inner);
  if (one !== undefined) return [one];
  if (inner && Node.isArrayLiteralExpression(inner)) {
    const all = inner.getElements().map((e) => constantString(env.project, e));
    return all.every((x): x is string => x !== undefined) ? all : null;
  }
  return null;
}

const cache = new WeakMap<Node, Verdict>();

/** Classifies a guard as `@UseGuards`, `APP_GUARD` or `useGlobalGuards` names it: a class, `new X()`, or `AuthGuard('jwt')`. */
export function classifyGuard(env: AuthEnv, expr: Node): Verdict {
  const node = unwrap(expr) ?? expr;
  const imports = importsOf(node.getSourceFile());
  if (Node.isNewExpression(node)) return classifyGuard(env, node.getExpression());
  if (Node.isCallExpression(node)) {
    const callee = node.getExpression();
    const label = node.getText().replace(/\s+/g, ' ');
    if (imports.is(callee, PASSPORT, 'AuthGuard')) {
      const names = strategyNames(env, node.getArguments()[0]);
      if (names === null) return { verdict: 'unknown', reason: `${label}: strategy names computed at runtime`, optOutKeys: [] };
      return passportVerdict(env, names, label);
    }
    return factoryVerdict(env, node, label);
  }
  const b = imports.resolve(node);
  if (!b) return { verdict: 'unknown', reason: `${node.getText()}: not a class the analysis can follow`, optOutKeys: [] };
  if (b.module === THROTTLER) return { verdict: 'other', reason: `${b.name} (@nestjs/throttler) limits request rates; it does not authenticate`, optOutKeys: [] };
  if (b.module === BASTION_NEST) return { verdict: 'authenticates', credential: 'bastion', reason: `${b.name} (@bastion/nest)`, optOutKeys: [] };
  const found = findDeclaration(env.project, node.getSourceFile(), node.getText().split('.').pop() ?? '');
  if (found && Node.isClassDeclaration(found.node)) return classifyGuardClass(env, found.node);
  if (found && Node.isVariableDeclaration(found.node)) {
    const init = unwrap(found.node.getInitializer());
    if (init && init !== node) return classifyGuard(env, init);
  }
  if (!b.module.startsWith('.') && b.module !== '.') {
    return { verdict: 'unknown', reason: `${b.name} comes from ${b.module}; its code is not read`, optOutKeys: [] };
  }
  return { verdict: 'unknown', reason: `${node.getText()}: declaration not found in the project`, optOutKeys: [] };
}

/** A project function that returns a guard (`AuthGuard(options)` wrappers, `RoleGuard('admin')` mixins). */
function factoryVerdict(env: AuthEnv, call: Node, label: string): Verdict {
  if (!Node.isCallExpression(call)) return { verdict: 'unknown', reason: label, optOutKeys: [] };
  const callee = call.getExpression();
  const found = Node.isIdentifier(callee) ? findDeclaration(env.project, call.getSourceFile(), callee.getText()) : undefined;
  const fn = found && (Node.isFunctionDeclaration(found.node) ? found.node : Node.isVariableDeclaration(found.node) ? unwrap(found.node.getInitializer()) : undefined);
  if (!fn) return { verdict: 'unknown', reason: `${label}: a guard factory the analysis cannot follow`, optOutKeys: [] };
  const fnImports = importsOf(fn.getSourceFile());
  let verdict: Verdict | undefined;
  fn.forEachDescendant((n, t) => {
    if (Node.isCallExpression(n) && fnImports.is(n.getExpression(), PASSPORT, 'AuthGuard')) {
      const names = strategyNames(env, n.getArguments()[0]);
      verdict = names === null
        ? { verdict: 'unknown', reason: `${label}: calls passport AuthGuard with strategies chosen at runtime (${n.getArguments()[0]?.getText() ?? ''})`, optOutKeys: [] }
        : passportVerdict(env, names, `${label} → ${n.getText().replace(/\s+/g, ' ')}`);
      t.stop();
    } else if (Node.isClassExpression(n)) {
      verdict = classifyGuardClass(env, n as unknown as ClassDeclaration);
      t.stop();
    }
  });
  return verdict ?? { verdict: 'unknown', reason: `${label}: a guard factory the analysis cannot follow`, optOutKeys: [] };
}

/** Classifies a guard class from what its `canActivate` (and base classes, `handleRequest`) do. */
export function classifyGuardClass(env: AuthEnv, cls: ClassDeclaration): Verdict {
  const hit = cache.get(cls);
  if (hit) return hit;
  const placeholder: Verdict = { verdict: 'unknown', reason: `${cls.getName() ?? 'class'}: circular base classes`, optOutKeys: [] };
  cache.set(cls, placeholder);
  const v = classifyClassUncached(env, cls);
  cache.set(cls, v);
  return v;
}

function classifyClassUncached(env: AuthEnv, cls: ClassDeclaration): Verdict {
  const name = cls.getName() ?? '(anonymous class)';
  const base = cls.getExtends()?.getExpression();
  const own = cls.getMethod('canActivate');
  const baseVerdict = base ? classifyGuard(env, base) : undefined;
  const handle = cls.getMethod('handleRequest');
  if (baseVerdict && handle && baseVerdict.verdict === 'authenticates' && codeSignals(env, handle).rejects.length === 0) {
    return { ...baseVerdict, verdict: 'other', reason: `${name}.handleRequest never rejects: a request without a user gets through (optional authentication); base: ${baseVerdict.reason}` };
  }
  if (!own) {
    if (baseVerdict) return { ...baseVerdict, reason: `${name} extends ${base?.getText()}: ${baseVerdict.reason}` };
    return { verdict: 'unknown', reason: `${name} has no canActivate the analysis can read`, optOutKeys: [] };
  }
  const s = codeSignals(env, own);
  const optOutKeys = s.optOutKeys.map((k) => metadataKeyId(env, k));
  if (s.callsSuper && baseVerdict) {
    if (baseVerdict.verdict === 'authenticates' && s.returns.other === 0 && s.returns.true > 0 && optOutKeys.length === 0 && s.rejects.length === 0) {
      return { ...baseVerdict, verdict: 'other', reason: `${name}.canActivate returns true whatever super.canActivate decides (optional authentication)` };
    }
    const skip = optOutKeys.length ? `; skips routes marked with ${optOutKeys.join(', ')}` : '';
    return { ...baseVerdict, optOutKeys: [...baseVerdict.optOutKeys, ...optOutKeys], reason: `${name} extends ${base?.getText()}: ${baseVerdict.reason}${skip}` };
  }
  return { ...bodyVerdict(s, name), readsAuthorization: s.reads.has('bearer'), optOutKeys };
}

/** The verdict for a guard's `canActivate` or a middleware's `use` from its code signals. */
export function bodyVerdict(s: CodeSignals, name: string): Omit<Verdict, 'optOutKeys'> {
  const first = (list: string[]) => list[0] ?? '';
  const cred = (): CredentialKind => (['signature', 'api-key', 'session', 'bearer'] as const).find((c) => s.reads.has(c)) ?? 'bearer';
  if (s.signature.length > 0 && (s.rejects.length > 0 || s.returns.other > 0)) {
    return { verdict: 'authenticates', credential: 'signature', reason: `${name} checks a request signature: ${first(s.signature)}` };
  }
  if (s.verifies.length > 0 && s.rejects.length > 0) {
    return { verdict: 'authenticates', credential: cred(), reason: `${name} verifies a credential (${first(s.verifies)}) and rejects otherwise (${first(s.rejects)})` };
  }
  if (s.requiresUser.length > 0 && (s.rejects.length > 0 || s.returns.other > 0)) {
    const session = s.requiresUser.some((r) => r.includes('isAuthenticated'));
    return { verdict: 'authenticates', credential: session ? 'session' : 'bearer', reason: `${name} rejects requests without an authenticated user: ${first(s.requiresUser)}` };
  }
  if (s.verifies.length > 0) {
    return { verdict: 'other', reason: `${name} verifies a credential when present (${first(s.verifies)}) but never rejects a request without one (optional authentication)` };
  }
  if (s.decodes.length > 0) {
    return { verdict: 'unknown', reason: `${name} decodes a token without verifying its signature (${first(s.decodes)})` };
  }
  if (s.roles.length > 0) {
    return { verdict: 'authorizes-only', reason: `${name} checks roles or permissions (${first(s.roles)}) and assumes an authenticated user; it does not authenticate` };
  }
  if (NOT_AUTH_NAME.test(name)) return { verdict: 'other', reason: `${name} does not check a credential (${name.match(NOT_AUTH_NAME)?.[0] ?? ''})` };
  if (s.rejects.length === 0 && s.returns.false === 0 && s.returns.other === 0) {
    return { verdict: 'other', reason: `${name} never rejects a request` };
  }
  if (s.returns.true > 0 && s.returns.false === 0 && s.returns.other === 0 && s.reads.size === 0) {
    return { verdict: 'other', reason: `${name} returns true on every path that does not throw, and reads no credential` };
  }
  return { verdict: 'unknown', reason: `${name}: its code does not show what it checks` };
}

/**
 * A stable identity for a metadata key: the string a constant holds (`'isPublic'`), a decorator made with
 * `Reflector.createDecorator()` (`decorator:Public`), or the expression text.
 */
export function metadataKeyId(env: Env, key: Node): string {
  const value = constantString(env.project, key);
  if (value !== undefined) return `'${value}'`;
  if (Node.isIdentifier(key)) {
    const found = findDeclaration(env.project, key.getSourceFile(), key.getText());
    const init = found && Node.isVariableDeclaration(found.node) ? unwrap(found.node.getInitializer()) : undefined;
    if (init && Node.isCallExpression(init) && /createDecorator$/.test(init.getExpression().getText())) return `decorator:${key.getText()}`;
  }
  return key.getText();
}

/** Exposed for `init`: the app's strategies, for wiring Bastion to them. */
export type { StrategyInfo };
