import { createHash } from 'node:crypto';
import { Node, ts } from 'ts-morph';
import { importsOf } from './file-imports.js';
import { constantString, constInitializer, objectProperty, stringValue } from './literals.js';
import { nodeText, type Env } from './where.js';

/**
 * Where a configuration value the app reads comes from (a JWT secret or key, an issuer): the environment,
 * a `ConfigService` key, a file, or a string written in the source. Literal values are never kept in
 * messages; only their location and a hash (to tell two literals apart) are.
 */
export type ValueSource =
  | { kind: 'env'; name: string; at: string; fallback?: string }
  | { kind: 'config'; key: string; at: string; fallback?: string }
  | { kind: 'file'; path: ValueSource; at: string }
  | { kind: 'literal'; nodes: Node[]; at: string; via?: string; hash: string }
  | { kind: 'unknown'; at: string; why: string };

/** `x!`, `(x)`, `x as T`, `<T>x`, `x satisfies T`. */
function strip(node: Node | undefined): Node | undefined {
  let cur = node;
  while (cur && (Node.isParenthesizedExpression(cur) || Node.isAsExpression(cur) || Node.isSatisfiesExpression(cur) || Node.isTypeAssertion(cur) || Node.isNonNullExpression(cur))) {
    cur = cur.getExpression();
  }
  return cur;
}

/** `process.env.NAME` / `process.env['NAME']`. */
function envName(node: Node): string | undefined {
  if (Node.isPropertyAccessExpression(node) && node.getExpression().getText() === 'process.env') return node.getName();
  if (Node.isElementAccessExpression(node) && node.getExpression().getText() === 'process.env') return stringValue(node.getArgumentExpression());
  return undefined;
}

/** A `ConfigService`: typed so (parameter or property), or named like one (`this.config`, `configService`). */
function isConfigService(receiver: Node): boolean {
  const name = Node.isPropertyAccessExpression(receiver) ? receiver.getName() : receiver.getText();
  if (/config/i.test(name)) return true;
  const cls = receiver.getFirstAncestorByKind(ts.SyntaxKind.ClassDeclaration);
  const fn = receiver.getFirstAncestor(Node.isFunctionLikeDeclaration);
  const params = [...(cls?.getConstructors()[0]?.getParameters() ?? []), ...(fn && Node.isFunctionLikeDeclaration(fn) ? fn.getParameters() : [])];
  const type = params.find((p) => p.getName() === name)?.getTypeNode() ?? cls?.getProperty(name)?.getTypeNode();
  return type !== undefined && importsOf(receiver.getSourceFile()).is(Node.isTypeReference(type) ? type.getTypeName() : type, '@nestjs/config', 'ConfigService');
}

function hashOf(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}

/** The initializer a local or module-level binding (`const secret = …`) holds, if any. */
export function bindingInitializer(env: Env, id: Node): Node | undefined {
  const viaConst = constInitializer(env.project, id);
  if (viaConst) return viaConst;
  const decl = id.getSymbol()?.getDeclarations()[0];
  return decl && Node.isVariableDeclaration(decl) ? decl.getInitializer() : undefined;
}

/** Resolves where `node`'s value comes from, following constants, locals and `const` objects a few levels deep. */
export function valueSource(env: Env, node: Node | undefined, depth = 0, via?: string): ValueSource {
  const inner = strip(node);
  const at = inner ? nodeText(env, inner) : '(missing)';
  if (!inner) return { kind: 'unknown', at, why: 'no value' };
  if (depth > 4) return { kind: 'unknown', at, why: `${inner.getText()} is too many steps away` };
  const literal = stringValue(inner);
  if (literal !== undefined) return { kind: 'literal', nodes: [inner], at, via, hash: hashOf(literal) };
  const name = envName(inner);
  if (name) return { kind: 'env', name, at };
  if (Node.isBinaryExpression(inner) && ['??', '||'].includes(inner.getOperatorToken().getText())) {
    const left = valueSource(env, inner.getLeft(), depth + 1, via);
    const fallback = constantString(env.project, inner.getRight()) !== undefined ? `a hard-coded string (${nodeText(env, inner.getRight())})` : inner.getRight().getText();
    return left.kind === 'env' || left.kind === 'config' ? { ...left, fallback } : left;
  }
  if (Node.isCallExpression(inner)) {
    const callee = inner.getExpression();
    const args = inner.getArguments();
    if (Node.isPropertyAccessExpression(callee) && /^(get|getOrThrow)$/.test(callee.getName()) && isConfigService(callee.getExpression())) {
      const key = constantString(env.project, args[0]);
      if (key === undefined) return { kind: 'unknown', at, why: `${inner.getText()}: the ConfigService key is computed at runtime` };
      const fallback = args[1] && constantString(env.project, args[1]) !== undefined ? `a hard-coded string (${nodeText(env, args[1])})` : undefined;
      return { kind: 'config', key, at, ...(fallback ? { fallback } : {}) };
    }
    const fn = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
    if (fn === 'readFileSync') {
      const path = valueSource(env, args[0], depth + 1);
      return path.kind === 'unknown' ? { kind: 'unknown', at, why: `${inner.getText()}: the file path is computed (${path.why})` } : { kind: 'file', path, at };
    }
    return { kind: 'unknown', at, why: `${inner.getText().replace(/\s+/g, ' ')} is computed at runtime` };
  }
  if (Node.isIdentifier(inner)) {
    const init = bindingInitializer(env, inner);
    if (init) return valueSource(env, init, depth + 1, via ?? inner.getText());
    return { kind: 'unknown', at, why: `${inner.getText()} is a parameter or a binding the analysis cannot follow` };
  }
  if (Node.isPropertyAccessExpression(inner)) {
    const owner = strip(inner.getExpression());
    const object = owner && Node.isIdentifier(owner) ? bindingInitializer(env, owner) : undefined;
    const prop = object && Node.isObjectLiteralExpression(strip(object)) ? objectProperty(strip(object), inner.getName()) : undefined;
    if (prop) return valueSource(env, prop, depth + 1, via ?? inner.getText());
  }
  return { kind: 'unknown', at, why: `${inner.getText().replace(/\s+/g, ' ')} is computed at runtime` };
}

/** A stable identity: two sources with the same id give the same value at runtime. */
export function sourceId(s: ValueSource): string {
  switch (s.kind) {
    case 'env': return `env:${s.name}`;
    case 'config': return `config:${s.key}`;
    case 'file': return `file:${sourceId(s.path)}`;
    case 'literal': return `literal:${s.hash}`;
    default: return `unknown:${s.at}`;
  }
}

/** The source in words, for messages (a literal's value is never shown). */
export function describeSource(s: ValueSource): string {
  switch (s.kind) {
    case 'env': return `process.env.${s.name}${s.fallback ? ` (falling back to ${s.fallback})` : ''}`;
    case 'config': return `ConfigService key '${s.key}'${s.fallback ? ` (falling back to ${s.fallback})` : ''}`;
    case 'file': return `the file ${s.path.kind === 'literal' ? `'${stringValue(s.path.nodes[0]) ?? ''}'` : `named by ${describeSource(s.path)}`}`;
    case 'literal': return `a string written in the source (${s.at}${s.via ? `, via ${s.via}` : ''})`;
    default: return `${s.why} (${s.at})`;
  }
}

/**
 * The same value read in generated code: `process.env.X`, `<config>.get<string>('key')`, `readFileSync(…, 'utf8')`.
 * Undefined for a literal (it is moved to the environment first) and for what cannot be followed.
 */
export function sourceCode(s: ValueSource, config: string): string | undefined {
  switch (s.kind) {
    case 'env': return `process.env.${s.name}`;
    case 'config': return `${config}.get<string>('${s.key}')`;
    case 'file': {
      const path = s.path.kind === 'literal' ? `'${stringValue(s.path.nodes[0]) ?? ''}'` : sourceCode(s.path, config);
      return path === undefined ? undefined : `readFileSync(${path}${s.path.kind === 'literal' ? '' : ' ?? \'\''}, 'utf8')`;
    }
    default: return undefined;
  }
}
