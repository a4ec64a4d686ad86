import { ts, type Node } from 'ts-morph';

/**
 * Identifiers under `root` with the given texts, walked on raw compiler nodes: wrapping every node in
 * ts-morph objects costs more than the rest of a transform on large projects.
 */
export function identifiersIn(root: Node, names: ReadonlySet<string>, skip?: (n: ts.Node) => boolean): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (skip?.(n)) return;
    if (ts.isIdentifier(n)) {
      if (names.has(n.text)) out.push(n);
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(root.compilerNode);
  return out;
}

/** Texts of all identifiers under `root`. */
export function identifierTexts(root: Node): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) out.add(n.text);
    else ts.forEachChild(n, visit);
  };
  visit(root.compilerNode);
  return out;
}

/** True for the `name` side of `a.name` and of `{ name: … }`: not a reference to a binding named `name`. */
export function isMemberName(id: ts.Identifier): boolean {
  const p = id.parent;
  return (ts.isPropertyAccessExpression(p) && p.name === id) || (ts.isPropertyAssignment(p) && p.name === id);
}
