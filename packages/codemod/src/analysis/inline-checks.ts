import { Node, SyntaxKind, type IfStatement, type MethodDeclaration, type Statement } from 'ts-morph';
import { importsOf, NEST_COMMON } from './file-imports.js';
import { handlerParams } from './inputs.js';

/** An `if (…) throw new ForbiddenException()` that only gates on the caller's role or scope. */
export interface GatingCheck {
  statement: IfStatement;
  kind: 'roles' | 'scopes';
  values: string[];
  /** Exception class names the statement used (to drop their imports when no longer used). */
  identifiers: string[];
}

export interface InlineCheckScan {
  /** Simple checks in the leading run of the body: safe to turn into decorators. */
  gating: GatingCheck[];
  /** Checks that involve the principal and something else, or sit after other code: reported, never rewritten. */
  reported: Array<{ statement: Statement; reason: string }>;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `throw new ForbiddenException(…)` / `UnauthorizedException` / `HttpException(…, 403|401)`, alone in the branch. */
function deniesAccess(stmt: Statement | undefined): string[] | undefined {
  if (!stmt) return undefined;
  if (Node.isBlock(stmt)) {
    const inner = stmt.getStatements();
    return inner.length === 1 ? deniesAccess(inner[0]) : undefined;
  }
  if (!Node.isThrowStatement(stmt)) return undefined;
  const expr = stmt.getExpression();
  if (!Node.isNewExpression(expr)) return undefined;
  const imports = importsOf(stmt.getSourceFile());
  const ctor = expr.getExpression();
  const b = imports.resolve(ctor);
  if (!b || b.module !== NEST_COMMON) return undefined;
  const id = Node.isIdentifier(ctor) ? [ctor.getText()] : [];
  if (b.name === 'ForbiddenException' || b.name === 'UnauthorizedException') return id;
  if (b.name === 'HttpException') {
    const status = expr.getArguments()[1]?.getText() ?? '';
    if (/^(403|401)$|\.(FORBIDDEN|UNAUTHORIZED)$/.test(status)) {
      const statusIds = /^([A-Za-z_$][\w$]*)\./.exec(status);
      return statusIds?.[1] ? [...id, statusIds[1]] : id;
    }
  }
  return undefined;
}

/** Expressions that denote the caller: principal params, and `req.user` for `@Req()` params. */
function principalRoots(method: MethodDeclaration): { principal: string[]; inputs: string[] } {
  const principal: string[] = [];
  const inputs: string[] = [];
  for (const p of handlerParams(method)) {
    const nameNode = p.param.getNameNode();
    const names = Node.isIdentifier(nameNode) ? [nameNode.getText()] : nameNode.getDescendantsOfKind(SyntaxKind.BindingElement).map((n) => n.getName());
    if (p.kind === 'principal') principal.push(...names);
    else if (p.kind === 'request') principal.push(...names.map((n) => `${n}.user`));
    else if (p.kind === 'body' || p.kind === 'query' || p.kind === 'param') inputs.push(...names);
  }
  return { principal, inputs };
}

function normalize(text: string): string {
  return text.replace(/\s+/g, '').replace(/\?\./g, '.').replace(/^\((.*)\)$/, '$1');
}

function match(cond: string, roots: string[]): { kind: 'roles' | 'scopes'; values: string[] } | undefined {
  const root = `(?:${roots.map(escape).join('|')})`;
  const lit = `(['"\`])([\\w:.\\-/*]+)\\1`;
  const role = new RegExp(`^${root}\\.role!==?${lit}$`).exec(cond) ?? new RegExp(`^${lit}!==?${root}\\.role$`).exec(cond);
  if (role?.[2]) return { kind: 'roles', values: [role[2]] };
  const m = new RegExp(`^!${root}\\.(roles|scopes|permissions)\\.(?:includes|has)\\((['"\`])([\\w:.\\-/*]+)\\2\\)$`).exec(cond);
  if (m?.[3]) return { kind: m[1] === 'roles' ? 'roles' : 'scopes', values: [m[3]] };
  return undefined;
}

function mentions(cond: string, roots: string[]): boolean {
  return roots.some((r) => new RegExp(`(^|[^\\w$.])${escape(r)}(?![\\w$])`).test(cond));
}

/** Scans a handler body for inline authorization checks. */
export function scanInlineChecks(method: MethodDeclaration): InlineCheckScan {
  const scan: InlineCheckScan = { gating: [], reported: [] };
  const body = method.getBody();
  if (!body || !Node.isBlock(body)) return scan;
  const { principal, inputs } = principalRoots(method);
  if (principal.length === 0) return scan;
  let leading = true;
  for (const stmt of body.getStatements()) {
    const denied = Node.isIfStatement(stmt) && !stmt.getElseStatement() ? deniesAccess(stmt.getThenStatement()) : undefined;
    if (!denied || !Node.isIfStatement(stmt)) {
      leading = false;
      continue;
    }
    const cond = normalize(stmt.getExpression().getText());
    if (!mentions(cond, principal)) {
      // A check on input values is validation, not authorization: leave it alone, but it ends the leading run.
      if (!mentions(cond, inputs)) leading = false;
      continue;
    }
    const simple = match(cond, principal);
    if (simple && leading) {
      scan.gating.push({ statement: stmt, ...simple, identifiers: denied });
      continue;
    }
    leading = false;
    scan.reported.push({
      statement: stmt,
      reason: simple ? 'authorization check after other statements; move it to the top or replace it by hand' : 'compound authorization check (principal and other conditions); not rewritten',
    });
  }
  return scan;
}
