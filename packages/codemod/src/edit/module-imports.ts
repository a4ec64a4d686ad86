import { Node, type ArrayLiteralExpression, type ObjectLiteralExpression } from 'ts-morph';
import { resolveDecorators } from '../analysis/decorators.js';
import { importsOf, NEST_COMMON } from '../analysis/file-imports.js';
import { identifierTexts } from '../analysis/identifiers.js';
import type { SourceEdit } from './source-edit.js';
import { indentAt } from './text-edits.js';

/** An element for a module's `imports`, and the identifier whose presence means it is there already. */
export interface ModuleImport {
  /** An identifier that, anywhere in an existing element, means the import is there (`BastionModule`). */
  marker: string;
  /** The element's text; a function is called only when the element is added (so it can schedule its imports). */
  element: string | (() => string);
}

/** What `addModuleImports` did. */
export interface ModuleImportsResult {
  /** `no-module`: no `@Module({ … })` class; `not-an-array`: `imports` is not an array literal. */
  status: 'ok' | 'no-module' | 'not-an-array';
  /** Markers of the elements added. */
  added: string[];
  /** Markers of the elements that were there already. */
  present: string[];
}

/** The object literal of the file's first `@Module({ … })` (`Module` from `@nestjs/common`). */
export function moduleMetadata(src: Pick<SourceEdit, 'file'>): ObjectLiteralExpression | undefined {
  const imports = importsOf(src.file);
  for (const cls of src.file.getClasses()) {
    for (const d of resolveDecorators(cls.getDecorators(), imports)) {
      const arg = d.args[0];
      if (d.binding?.module === NEST_COMMON && d.binding.name === 'Module' && arg && Node.isObjectLiteralExpression(arg)) return arg;
    }
  }
  return undefined;
}

/**
 * Appends elements to the `imports` array of the file's `@Module`, skipping those whose marker an element
 * already mentions; creates the property when there is none. Keeps the array's layout (one line, or one
 * element per line); an empty array becomes one element per line, as formatters lay out module metadata.
 */
export function addModuleImports(src: SourceEdit, wanted: ModuleImport[]): ModuleImportsResult {
  const meta = moduleMetadata(src);
  if (!meta) return { status: 'no-module', added: [], present: [] };
  const text = src.file.getFullText();
  const prop = meta.getProperty('imports');
  if (prop && !(Node.isPropertyAssignment(prop) && Node.isArrayLiteralExpression(prop.getInitializer()))) {
    return { status: 'not-an-array', added: [], present: [] };
  }
  const arr = prop && Node.isPropertyAssignment(prop) ? (prop.getInitializer() as ArrayLiteralExpression) : undefined;
  const mentioned = new Set(arr?.getElements().flatMap((el) => [...identifierTexts(el)]) ?? []);
  const present = wanted.filter((w) => mentioned.has(w.marker)).map((w) => w.marker);
  const missing = wanted.filter((w) => !mentioned.has(w.marker));
  const result: ModuleImportsResult = { status: 'ok', added: missing.map((w) => w.marker), present };
  const added = missing.map((w) => (typeof w.element === 'string' ? w.element : w.element()));
  if (!added.length) return result;
  if (!arr) {
    const first = meta.getProperties()[0];
    if (!first) src.edits.replace(meta.getStart(), meta.getEnd(), `{\n  imports: [${added.join(', ')}],\n}`);
    else src.edits.insert(first.getStart(), `imports: [${added.join(', ')}],\n${indentAt(text, first.getStart())}`);
    return result;
  }
  const elements = arr.getElements();
  const last = elements[elements.length - 1];
  if (!last) {
    const indent = indentAt(text, prop!.getStart());
    src.edits.replace(arr.getStart(), arr.getEnd(), `[\n${added.map((e) => `${indent}  ${e},\n`).join('')}${indent}]`);
    return result;
  }
  const multiline = text.slice(arr.getStart(), arr.getEnd()).includes('\n');
  const afterLast = text.slice(last.getEnd(), arr.getEnd() - 1);
  const trailingComma = /^\s*,/.test(afterLast);
  const at = trailingComma ? last.getEnd() + afterLast.indexOf(',') + 1 : last.getEnd();
  const sep = multiline ? `\n${indentAt(text, last.getStart())}` : ' ';
  src.edits.insert(at, added.map((e) => (trailingComma ? `${sep}${e},` : `,${sep}${e}`)).join(''));
  return result;
}
