import { Node, type ObjectLiteralExpression, type Project } from 'ts-morph';
import { findDeclaration } from './file-imports.js';

/** The string value of a string literal or substitution-free template, else undefined. */
export function stringValue(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
  return undefined;
}

/** String values of a literal or an array of literals (`'a'` → `['a']`, `['a', 'b']` → both). */
export function stringValues(node: Node | undefined): string[] | undefined {
  if (!node) return undefined;
  const one = stringValue(node);
  if (one !== undefined) return [one];
  if (Node.isArrayLiteralExpression(node)) {
    const out: string[] = [];
    for (const el of node.getElements()) {
      const v = stringValue(el);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }
  return undefined;
}

/** The initializer of `name` in an object literal, if the node is one. */
export function objectProperty(node: Node | undefined, name: string): Node | undefined {
  if (!node || !Node.isObjectLiteralExpression(node)) return undefined;
  const prop = node.getProperty(name);
  if (prop && Node.isPropertyAssignment(prop)) return prop.getInitializer();
  if (prop && Node.isShorthandPropertyAssignment(prop)) return prop.getNameNode();
  return undefined;
}

/** Joins URL path segments with single slashes, leading slash, no trailing slash. */
export function joinPath(...segments: Array<string | undefined>): string {
  const parts = segments.flatMap((s) => (s ?? '').split('/')).filter((p) => p.length > 0);
  return `/${parts.join('/')}`;
}

/**
 * The string value of a literal, or of a `const` it names (in the file or one relative import away), or of a
 * property of a `const` object literal (`ROUTES.users`). Undefined when the value is computed at runtime.
 */
export function constantString(project: Project, node: Node | undefined, depth = 0): string | undefined {
  if (!node || depth > 3) return undefined;
  const literal = stringValue(node);
  if (literal !== undefined) return literal;
  const inner = unwrap(node);
  if (inner !== node) return constantString(project, inner, depth + 1);
  if (Node.isIdentifier(node)) return constantString(project, constInitializer(project, node), depth + 1);
  if (Node.isPropertyAccessExpression(node)) {
    const owner = node.getExpression();
    const init = Node.isIdentifier(owner) ? constInitializer(project, owner) : undefined;
    return constantString(project, objectProperty(init, node.getName()), depth + 1);
  }
  return undefined;
}

/** `x as const`, `(x)`, `x satisfies T`, `<T>x` → `x`. */
export function unwrap(node: Node | undefined): Node | undefined {
  let cur = node;
  while (cur && (Node.isParenthesizedExpression(cur) || Node.isAsExpression(cur) || Node.isSatisfiesExpression(cur) || Node.isTypeAssertion(cur))) cur = cur.getExpression();
  return cur;
}

/** The initializer of the `const` an identifier names, in its file or one relative import away (no type checker). */
export function constInitializer(project: Project, id: Node): Node | undefined {
  if (!Node.isIdentifier(id)) return undefined;
  const found = findDeclaration(project, id.getSourceFile(), id.getText());
  return found && Node.isVariableDeclaration(found.node) ? unwrap(found.node.getInitializer()) : undefined;
}

/** The object literal a node is, directly or through a `const` (`register(options)` with `const options = { … }`). */
export function objectOf(project: Project, node: Node | undefined): ObjectLiteralExpression | undefined {
  const inner = unwrap(node);
  if (inner && Node.isObjectLiteralExpression(inner)) return inner;
  const init = inner && Node.isIdentifier(inner) ? constInitializer(project, inner) : undefined;
  return init && Node.isObjectLiteralExpression(init) ? init : undefined;
}
