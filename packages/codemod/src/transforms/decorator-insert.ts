import type { MethodDeclaration } from 'ts-morph';
import { indentAt } from '../edit/text-edits.js';
import type { FileEdit } from './context.js';

/** Inserts a decorator on its own line after the method's last decorator (or before the method). */
export function insertMethodDecorator(fe: FileEdit, method: MethodDeclaration, text: string): void {
  const source = fe.file.getFullText();
  const decorators = method.getDecorators();
  const indent = indentAt(source, method.getStart());
  const last = decorators[decorators.length - 1];
  if (last && !source.slice(last.getEnd(), method.getNameNode().getStart()).includes('\n')) fe.edits.insert(last.getEnd(), ` ${text}`);
  else if (last) fe.edits.insert(last.getEnd(), `\n${indent}${text}`);
  else fe.edits.insert(method.getStart(), `${text}\n${indent}`);
}
