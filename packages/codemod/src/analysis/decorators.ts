import { Node, type Decorator } from 'ts-morph';
import { type Binding, type FileImports } from './file-imports.js';

/** A decorator with its name resolved through the file's imports. */
export interface DecoratorRef {
  node: Decorator;
  binding?: Binding;
  args: Node[];
}

export function resolveDecorators(decorators: Decorator[], imports: FileImports): DecoratorRef[] {
  return decorators.map((node) => {
    const call = node.getCallExpression();
    const callee = call ? call.getExpression() : node.getExpression();
    return { node, binding: imports.resolve(callee), args: call ? call.getArguments() : [] };
  });
}

export function isFrom(ref: DecoratorRef, module: string, ...names: string[]): boolean {
  return ref.binding !== undefined && ref.binding.module === module && names.includes(ref.binding.name);
}

/** Source text of the callee's arguments with whitespace collapsed, for messages. */
export function argsText(ref: DecoratorRef): string {
  return ref.args.map((a) => a.getText().replace(/\s+/g, ' ')).join(', ');
}

export function isIdentifierLike(node: Node): boolean {
  return Node.isIdentifier(node) || Node.isPropertyAccessExpression(node);
}
