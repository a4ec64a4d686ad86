import { Node } from 'ts-morph';

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
