import type { ObjectLiteralExpression } from 'ts-morph';
import { indentAt, type TextEdits } from './text-edits.js';

/**
 * Appends `entries` (`issuer: TOKEN_ISSUER`) to an object literal, in its layout: after the last property on
 * one line, or one per line when the object spans lines; `{}` becomes `{ a, b }`.
 */
export function addObjectProperties(edits: TextEdits, obj: ObjectLiteralExpression, entries: string[]): void {
  if (entries.length === 0) return;
  const text = obj.getSourceFile().getFullText();
  const props = obj.getProperties();
  const last = props[props.length - 1];
  if (!last) {
    edits.replace(obj.getStart(), obj.getEnd(), `{ ${entries.join(', ')} }`);
    return;
  }
  const afterLast = text.slice(last.getEnd(), obj.getEnd() - 1);
  const comma = /^\s*,/.exec(afterLast);
  const multiline = text.slice(obj.getStart(), obj.getEnd()).includes('\n');
  const at = comma ? last.getEnd() + comma[0].length : last.getEnd();
  const sep = multiline ? `\n${indentAt(text, last.getStart())}` : ' ';
  edits.insert(at, entries.map((e) => (comma ? `${sep}${e},` : `,${sep}${e}`)).join(''));
}
