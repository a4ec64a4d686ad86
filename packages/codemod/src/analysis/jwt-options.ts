import { Node, ts, type CallExpression, type ClassDeclaration, type ObjectLiteralExpression, type SourceFile } from 'ts-morph';
import { importsOf } from './file-imports.js';
import { objectOf as literalObject, objectProperty, unwrap } from './literals.js';
import type { Env } from './where.js';

export const NEST_JWT = '@nestjs/jwt';

/** Where JWT options are written: the `JwtModule`, a passport strategy's `super()`, a `JwtService` or `jsonwebtoken` call. */
export interface JwtOptionsSite {
  kind: 'module' | 'strategy' | 'sign' | 'verify' | 'jsonwebtoken';
  /** `JwtModule.register`, `JwtModule.registerAsync useFactory`, `PassportStrategy super()`, `this.jwtService.sign`, … */
  where: string;
  call: CallExpression;
  /** The options object literal, when the code writes one (directly, through a `const`, or returned by a factory). */
  options?: ObjectLiteralExpression;
  /** `jsonwebtoken`'s secret argument (`jwt.sign(payload, secret, options)`). */
  direct?: Node;
  /** `sign`/`verify`: the payload or token argument. */
  subject?: Node;
  /** The class around the call (the strategy for `strategy`). */
  cls?: ClassDeclaration;
}

/** The object a `useFactory` returns (`() => ({ … })` or `return { … }`). */
function factoryResult(env: Env, factory: Node | undefined): ObjectLiteralExpression | undefined {
  const fn = unwrap(factory);
  if (!fn || !(Node.isArrowFunction(fn) || Node.isFunctionExpression(fn) || Node.isMethodDeclaration(fn))) return undefined;
  const body = Node.isArrowFunction(fn) ? unwrap(fn.getBody()) : undefined;
  if (body && Node.isObjectLiteralExpression(body)) return body;
  return fn.getDescendantsOfKind(ts.SyntaxKind.ReturnStatement).map((r) => literalObject(env.project, r.getExpression())).find(Boolean);
}

/** `this.x` (or `x`) where `x` is a constructor parameter or property typed `JwtService` from `@nestjs/jwt`. */
export function isJwtService(expr: Node): boolean {
  const name = Node.isPropertyAccessExpression(expr) && expr.getExpression().getKind() === ts.SyntaxKind.ThisKeyword ? expr.getName() : Node.isIdentifier(expr) ? expr.getText() : undefined;
  if (!name) return false;
  const cls = expr.getFirstAncestorByKind(ts.SyntaxKind.ClassDeclaration);
  const param = cls?.getConstructors()[0]?.getParameters().find((p) => p.getName() === name);
  const type = param?.getTypeNode() ?? cls?.getProperty(name)?.getTypeNode();
  return type !== undefined && importsOf(expr.getSourceFile()).is(Node.isTypeReference(type) ? type.getTypeName() : type, NEST_JWT, 'JwtService');
}

/** Every place a file writes JWT signing or verification options. */
export function jwtOptionSites(env: Env, file: SourceFile): JwtOptionsSite[] {
  const out: JwtOptionsSite[] = [];
  const imports = importsOf(file);
  file.forEachDescendant((n) => {
    if (!Node.isCallExpression(n)) return;
    const callee = n.getExpression();
    const args = n.getArguments();
    const cls = n.getFirstAncestorByKind(ts.SyntaxKind.ClassDeclaration);
    if (Node.isPropertyAccessExpression(callee) && imports.is(callee.getExpression(), NEST_JWT, 'JwtModule')) {
      const opts = literalObject(env.project, args[0]);
      if (callee.getName() === 'register') out.push({ kind: 'module', where: 'JwtModule.register', call: n, options: opts, cls });
      else if (callee.getName() === 'registerAsync') out.push({ kind: 'module', where: 'JwtModule.registerAsync useFactory', call: n, options: factoryResult(env, objectProperty(opts, 'useFactory')), cls });
    } else if (callee.getText() === 'super' && /PassportStrategy/.test(cls?.getExtends()?.getText() ?? '')) {
      out.push({ kind: 'strategy', where: 'PassportStrategy super()', call: n, options: literalObject(env.project, args[0]), cls });
    } else if (Node.isPropertyAccessExpression(callee) && /^(sign|signAsync|verify|verifyAsync)$/.test(callee.getName())) {
      const owner = callee.getExpression();
      const where = `${owner.getText()}.${callee.getName()}`;
      const kind = callee.getName().startsWith('sign') ? 'sign' : 'verify';
      if (/jwtService/i.test(owner.getText()) || isJwtService(owner)) out.push({ kind, where, call: n, options: literalObject(env.project, args[1]), subject: args[0], cls });
      else if (imports.resolve(owner)?.module === 'jsonwebtoken' || /^jwt$/.test(owner.getText())) out.push({ kind: 'jsonwebtoken', where, call: n, direct: args[1], subject: args[0], cls });
    }
  });
  return out;
}
