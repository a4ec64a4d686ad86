import { ts, type MethodDeclaration, type Node } from 'ts-morph';
import { identifiersIn, isMemberName } from './identifiers.js';

/** How a string route param is used in its handler body. Positions are compiler-node ranges. */
export interface IdUsage {
  /** `+id`, `Number(id)`, `parseInt(id)`, `parseInt(id, 10)`, `Number.parseInt(id, 10)`: whole expressions. */
  conversions: Array<{ start: number; end: number; shorthand?: boolean }>;
  /** Number of other uses (passed on, compared, interpolated). */
  otherUses: number;
  /** Name or a validator call (`isUUID(id)`) says it is a UUID. */
  uuid: boolean;
}

const INT_CALLS = new Set(['Number', 'parseInt', 'Number.parseInt']);
const UUID_CALLS = /^(isUUID|isUuid|uuidValidate|validateUuid|validate)$/;

export function idUsage(method: MethodDeclaration, name: string, key?: string): IdUsage {
  const usage: IdUsage = { conversions: [], otherUses: 0, uuid: /uuid|guid/i.test(name) || /uuid|guid/i.test(key ?? '') };
  const body: Node | undefined = method.getBody();
  if (!body) return usage;
  const sf = method.getSourceFile().compilerNode;
  for (const id of identifiersIn(body, new Set([name]))) {
    if (isMemberName(id)) continue;
    const parent = id.parent;
    if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.PlusToken) {
      usage.conversions.push(conversionRange(parent, name, sf));
      continue;
    }
    if (ts.isCallExpression(parent) && parent.arguments[0] === id) {
      const callee = parent.expression.getText(sf);
      const radix = parent.arguments[1]?.getText(sf);
      if (INT_CALLS.has(callee) && (radix === undefined || radix === '10') && parent.arguments.length <= 2) {
        usage.conversions.push(conversionRange(parent, name, sf));
        continue;
      }
      if (UUID_CALLS.test(callee.replace(/^.*\./, ''))) usage.uuid = true;
    }
    usage.otherUses++;
  }
  return usage;
}

/** `{ id: +id }` becomes `{ id }`: the range covers the whole property so the shorthand replaces it. */
function conversionRange(expr: ts.Expression, name: string, sf: ts.SourceFile): { start: number; end: number; shorthand?: boolean } {
  const p = expr.parent;
  if (ts.isPropertyAssignment(p) && p.initializer === expr && ts.isIdentifier(p.name) && p.name.text === name) {
    return { start: p.getStart(sf), end: p.getEnd(), shorthand: true };
  }
  return { start: expr.getStart(sf), end: expr.getEnd() };
}
