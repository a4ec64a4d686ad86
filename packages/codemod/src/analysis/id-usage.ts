import { Node, SyntaxKind, type MethodDeclaration } from 'ts-morph';

/** How a string route param is used in its handler body. */
export interface IdUsage {
  /** `+id`, `Number(id)`, `parseInt(id)`, `parseInt(id, 10)`, `Number.parseInt(id, 10)`: whole expressions. */
  conversions: Node[];
  /** Any other use (passed on, compared, interpolated). */
  otherUses: Node[];
  /** Name or a validator call (`isUUID(id)`) says it is a UUID. */
  uuid: boolean;
}

const INT_CALLS = new Set(['Number', 'parseInt', 'Number.parseInt']);
const UUID_CALLS = /^(isUUID|isUuid|uuidValidate|validateUuid|validate)$/;

export function idUsage(method: MethodDeclaration, name: string, key?: string): IdUsage {
  const usage: IdUsage = { conversions: [], otherUses: [], uuid: /uuid|guid/i.test(name) || /uuid|guid/i.test(key ?? '') };
  const body = method.getBody();
  if (!body) return usage;
  for (const id of body.getDescendantsOfKind(SyntaxKind.Identifier)) {
    if (id.getText() !== name) continue;
    const parent = id.getParent();
    if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === id) continue;
    if (Node.isPropertyAssignment(parent) && parent.getNameNode() === id) continue;
    if (Node.isPrefixUnaryExpression(parent) && parent.getOperatorToken() === SyntaxKind.PlusToken) {
      usage.conversions.push(parent);
      continue;
    }
    if (Node.isCallExpression(parent) && parent.getArguments()[0] === id) {
      const callee = parent.getExpression().getText();
      const radix = parent.getArguments()[1]?.getText();
      if (INT_CALLS.has(callee) && (radix === undefined || radix === '10') && parent.getArguments().length <= 2) {
        usage.conversions.push(parent);
        continue;
      }
      if (UUID_CALLS.test(callee.replace(/^.*\./, ''))) usage.uuid = true;
    }
    usage.otherUses.push(id);
  }
  return usage;
}
