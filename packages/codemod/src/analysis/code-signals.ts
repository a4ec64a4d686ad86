import { Node, ts, type ClassDeclaration, type SourceFile } from 'ts-morph';
import { findDeclaration } from './file-imports.js';
import { positionText, type Env } from './where.js';

/** The kind of credential a piece of code checks. `bearer` is what Bastion can take over. */
export type Credential = 'bearer' | 'password' | 'refresh' | 'oauth' | 'signature' | 'api-key' | 'session' | 'unknown';

/** What a function body (and the methods it calls, two levels deep) does, as evidence strings (`what (file:line)`). */
export interface CodeSignals {
  /** Verifies a credential: `jwtService.verify*`, `passport.authenticate`, a token/session lookup. */
  verifies: string[];
  /** Decodes a token without verifying it (`jwt.decode`). */
  decodes: string[];
  /** Checks a signature: `createHmac`, `stripe.webhooks.constructEvent`. */
  signature: string[];
  /** Rejects a request without `request.user` / `req.isAuthenticated()`. */
  requiresUser: string[];
  /** Throws, returns false or answers 401/403. */
  rejects: string[];
  /** Reads roles, permissions or policies. */
  roles: string[];
  /** Signs a token (`jwtService.sign*`, `jwt.sign`, `new SignJWT`). */
  signs: string[];
  /** Compares a password (`bcrypt.compare`, `argon2.verify`). */
  passwordChecks: string[];
  /** Ends a session (`req.logout`, `res.clearCookie`, `session.destroy`). */
  logout: string[];
  /** Credential places read: Authorization header, API-key header, cookies/session, signature headers. */
  reads: Set<Credential>;
  returns: { true: number; false: number; other: number };
  /** Calls `super.canActivate(…)` and uses its result. */
  callsSuper: boolean;
  /** Metadata keys read through a `Reflector` in a positive `if (…) return true` (public opt-outs). */
  optOutKeys: Node[];
}

const VERIFY = /^(verify|verifyAsync|jwtVerify|verifyIdToken|verifyToken|verifyAccessToken|verifyJwt|verifySessionCookie|introspect|validateToken|validateAccessToken|validateApiKey|validateSession|authenticate|getUserFromToken|findByToken|findSession|getSession|checkToken|timingSafeEqual|safeCompare|secureCompare)$/i;
const DECODE = /^(decode|jwtDecode|decodeJwt)$/;
const SIGNATURE = /^(createHmac|constructEvent|constructEventAsync|verifySignature|verifyWebhook|verifyWebhookSignature)$/;
const PASSWORD = /^(compare|compareSync|verifyPassword|comparePassword|isPasswordValid|validatePassword)$/;
const LOGOUT = /^(logout|logOut|clearCookie|destroy)$/;
const REFLECT = /^(get|getAll|getAllAndOverride|getAllAndMerge)$/;
const ROLE_NAMES = /^(roles?|permissions?|scopes?|abilit(y|ies)|polic(y|ies)|groups?)$/i;

function credentialOf(text: string): Credential | undefined {
  const t = text.toLowerCase();
  if (/signature/.test(t)) return 'signature';
  if (/api[-_]?key|x-api/.test(t)) return 'api-key';
  if (/authorization|bearer|fromauthheader/.test(t)) return 'bearer';
  if (/\b(signed)?cookies\b|\.session\b/.test(t)) return 'session';
  return undefined;
}

function empty(): CodeSignals {
  return {
    verifies: [], decodes: [], signature: [], requiresUser: [], rejects: [], roles: [], signs: [], passwordChecks: [], logout: [],
    reads: new Set(), returns: { true: 0, false: 0, other: 0 }, callsSuper: false, optOutKeys: [],
  };
}

const cache = new WeakMap<Node, CodeSignals>();

/** Scans a function-like node's body; follows `this.m()`, `this.service.m()` and relative functions two levels deep. */
export function codeSignals(env: Env, fn: Node, depth = 0): CodeSignals {
  const cached = cache.get(fn);
  if (cached) return cached;
  const out = empty();
  cache.set(fn, out);
  const sf = fn.getSourceFile();
  const at = (n: ts.Node, what: string) => `${what.replace(/\s+/g, ' ').slice(0, 80)} (${positionText(env, sf, n.getStart(sf.compilerNode))})`;
  const owner = fn.getFirstAncestor((a) => Node.isClassDeclaration(a)) as ClassDeclaration | undefined;
  const reflected = new Map<string, ts.Node>();
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && n.initializer && ts.isIdentifier(n.name)) {
      const key = reflectorKey(unawait(n.initializer));
      if (key) reflected.set(n.name.text, key);
    }
    if (ts.isCallExpression(n)) scanCall(env, n, sf, at, out, owner, depth);
    else if (ts.isNewExpression(n) && /^(SignJWT)$/.test(n.expression.getText(sf.compilerNode))) out.signs.push(at(n, 'new SignJWT'));
    else if (ts.isThrowStatement(n)) out.rejects.push(at(n, 'throw'));
    else if (ts.isReturnStatement(n)) scanReturn(n, sf, at, out);
    else if (ts.isIfStatement(n)) scanIf(env, n, sf, at, out, reflected);
    else if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) {
      const text = n.getText(sf.compilerNode);
      const cred = credentialOf(text);
      if (cred && /headers|cookies|session|header\(|get\(/i.test(text)) out.reads.add(cred);
      const name = ts.isPropertyAccessExpression(n) ? n.name.text : '';
      if (ROLE_NAMES.test(name) && /user|principal|account|member/i.test(n.expression.getText(sf.compilerNode))) out.roles.push(at(n, text));
    }
    ts.forEachChild(n, visit);
  };
  const body = Node.isMethodDeclaration(fn) || Node.isFunctionDeclaration(fn) || Node.isArrowFunction(fn) || Node.isFunctionExpression(fn) || Node.isConstructorDeclaration(fn) ? fn.getBody() : fn;
  if (body) visit(body.compilerNode);
  return out;
}

function unawait(e: ts.Expression): ts.Expression {
  let cur = e;
  while (ts.isAwaitExpression(cur) || ts.isParenthesizedExpression(cur) || ts.isAsExpression(cur) || ts.isNonNullExpression(cur)) cur = cur.expression;
  return cur;
}

/** The key argument of `this.reflector.get(KEY, …)` and friends. */
function reflectorKey(e: ts.Expression): ts.Node | undefined {
  if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression)) return undefined;
  if (!REFLECT.test(e.expression.name.text) || !/reflector/i.test(e.expression.expression.getText())) return undefined;
  return e.arguments[0];
}

type At = (n: ts.Node, what: string) => string;

function scanCall(env: Env, call: ts.CallExpression, sf: SourceFile, at: At, out: CodeSignals, owner: ClassDeclaration | undefined, depth: number): void {
  const callee = call.expression;
  const text = callee.getText(sf.compilerNode);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  const receiver = ts.isPropertyAccessExpression(callee) ? callee.expression.getText(sf.compilerNode) : '';
  const argText = call.arguments.map((a) => a.getText(sf.compilerNode)).join(',');
  if (text === 'super.canActivate') out.callsSuper = true;
  if (name === 'authenticate' && /passport/i.test(receiver)) out.verifies.push(at(call, `${text}(${argText})`));
  else if (VERIFY.test(name) && !/^(validator|classValidator)$/i.test(receiver)) out.verifies.push(at(call, text));
  if (DECODE.test(name) && (/jwt|token/i.test(receiver) || !receiver)) out.decodes.push(at(call, text));
  if (SIGNATURE.test(name)) out.signature.push(at(call, text));
  if ((name === 'sign' || name === 'signAsync') && /jwt|token/i.test(receiver)) out.signs.push(at(call, text));
  if (PASSWORD.test(name) && (/bcrypt|argon|password|hash|crypt/i.test(`${receiver}${name}`))) out.passwordChecks.push(at(call, text));
  if (name === 'verify' && /argon/i.test(receiver)) out.passwordChecks.push(at(call, text));
  if (LOGOUT.test(name) && (name !== 'destroy' || /session/i.test(receiver))) out.logout.push(at(call, text));
  if (/^(status|sendStatus|code)$/.test(name) && /^(401|403|HttpStatus\.(UNAUTHORIZED|FORBIDDEN))$/.test(argText)) out.rejects.push(at(call, `${text}(${argText})`));
  if (name === 'next' && call.arguments.length > 0 && ts.isNewExpression(call.arguments[0]!)) out.rejects.push(at(call, `next(${argText})`));
  if (name === 'isAuthenticated') out.requiresUser.push(at(call, text));
  if (/^(get|header)$/.test(name) && call.arguments[0]) {
    const cred = credentialOf(call.arguments[0].getText(sf.compilerNode));
    if (cred) out.reads.add(cred);
  }
  if (/^fromAuthHeader|^fromHeader|^fromExtractors|^fromBodyField|^fromUrlQueryParameter/.test(name)) out.reads.add(/Body|Query/.test(name) ? 'unknown' : 'bearer');
  const key = reflectorKey(call);
  if (key && /role|permission|polic|scope|abilit|claim|group/i.test(key.getText(sf.compilerNode))) out.roles.push(at(call, text));
  if (/^(hasRole|hasAnyRole|hasPermission|can|cannot)$/.test(name)) out.roles.push(at(call, text));
  if (depth < 2) follow(env, call, sf, out, owner, depth);
}

/** Merges the signals of a method or function the call reaches in the project. */
function follow(env: Env, call: ts.CallExpression, sf: SourceFile, out: CodeSignals, owner: ClassDeclaration | undefined, depth: number): void {
  const callee = call.expression;
  let target: Node | undefined;
  if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword) {
    target = owner?.getMethod(callee.name.text);
  } else if (ts.isPropertyAccessExpression(callee) && ts.isPropertyAccessExpression(callee.expression) && callee.expression.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = owner && memberClass(env, owner, callee.expression.name.text);
    target = cls?.getMethod(callee.name.text);
  } else if (ts.isIdentifier(callee)) {
    const found = findDeclaration(env.project, sf, callee.text);
    if (found && (Node.isFunctionDeclaration(found.node) || Node.isVariableDeclaration(found.node))) {
      target = Node.isVariableDeclaration(found.node) ? found.node.getInitializer() : found.node;
    }
  }
  if (!target || !(Node.isFunctionLikeDeclaration(target) || Node.isArrowFunction(target) || Node.isFunctionExpression(target))) return;
  const inner = codeSignals(env, target, depth + 1);
  for (const k of ['verifies', 'decodes', 'signature', 'requiresUser', 'signs', 'passwordChecks', 'logout', 'roles'] as const) out[k].push(...inner[k]);
  for (const r of inner.reads) out.reads.add(r);
  // A helper that throws (`extractToken` failing) rejects the request as much as the caller's own `throw`.
  out.rejects.push(...inner.rejects);
}

/** The class of `this.<name>`: a constructor parameter property or a typed property, found in the project. */
export function memberClass(env: Env, cls: ClassDeclaration, name: string): ClassDeclaration | undefined {
  const param = cls.getConstructors()[0]?.getParameters().find((p) => p.getName() === name);
  const typeNode = param?.getTypeNode() ?? cls.getProperty(name)?.getTypeNode();
  if (!typeNode || !Node.isTypeReference(typeNode)) return undefined;
  const found = findDeclaration(env.project, cls.getSourceFile(), typeNode.getTypeName().getText());
  return found && Node.isClassDeclaration(found.node) ? found.node : undefined;
}

function scanReturn(n: ts.ReturnStatement, sf: SourceFile, at: At, out: CodeSignals): void {
  const e = n.expression ? unawait(n.expression) : undefined;
  if (!e) return;
  if (e.kind === ts.SyntaxKind.TrueKeyword) out.returns.true++;
  else if (e.kind === ts.SyntaxKind.FalseKeyword) {
    out.returns.false++;
    out.rejects.push(at(n, 'return false'));
  } else out.returns.other++;
  const text = e.getText(sf.compilerNode).replace(/\s+/g, '');
  if (/^!!.*\.user$|^Boolean\(.*\.user\)$|\.user(!==?(undefined|null))$|^[\w.?]*\.user$/.test(text)) out.requiresUser.push(at(n, `return ${text}`));
}

function scanIf(env: Env, n: ts.IfStatement, sf: SourceFile, at: At, out: CodeSignals, reflected: Map<string, ts.Node>): void {
  const cond = n.expression.getText(sf.compilerNode).replace(/\s+/g, '');
  const thenText = n.thenStatement.getText(sf.compilerNode);
  const rejects = /\bthrow\b|return\s+false|status\(\s*40[13]|UNAUTHORIZED|FORBIDDEN/.test(thenText);
  if (rejects && /^!(.*\.)?user$|\.user(===?(undefined|null))$|^!(.*\.)?isAuthenticated\(\)$/.test(cond)) out.requiresUser.push(at(n, `if (${cond})`));
  const returnsTrue = /^(\{\s*)?return\s+true\s*;?\s*(\})?$/.test(thenText.trim());
  if (!returnsTrue || cond.startsWith('!')) return;
  const inline = reflectorKey(unawait(n.expression));
  if (inline) out.optOutKeys.push(wrap(env, sf, inline));
  else for (const [name, key] of reflected) if (new RegExp(`^${name}(\\?\\.|\\.|&&|$)`).test(cond)) out.optOutKeys.push(wrap(env, sf, key));
}

function wrap(_env: Env, sf: SourceFile, n: ts.Node): Node {
  return sf.getDescendantAtStartWithWidth(n.getStart(sf.compilerNode), n.getWidth(sf.compilerNode)) ?? sf;
}
