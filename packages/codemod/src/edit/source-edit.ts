import { Project, type SourceFile } from 'ts-morph';
import { ImportEditor } from './import-editor.js';
import { TextEdits } from './text-edits.js';

/** One file being edited: the parsed file, the pending text edits and imports. */
export interface SourceEdit {
  /** The parsed file (read it; change it only through `edits` and `imports`). */
  readonly file: SourceFile;
  /** Text edits at offsets of the original text, applied in one pass. */
  readonly edits: TextEdits;
  /** Named imports to reference (`ref`), merged into the file's import lines. */
  readonly imports: ImportEditor;
}

/** Parses `text` as `path` in a project of its own (no file system, no type checker). */
export function parseSource(path: string, text: string): SourceFile {
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true, compilerOptions: { allowJs: false } });
  return project.createSourceFile(path.startsWith('/') ? path : `/${path}`, text);
}

/**
 * Edits one file's text with the engine: `edit` schedules minimal text edits and imports on the parsed
 * file; they are applied in one pass, so untouched text (formatting, comments) stays byte-identical.
 * For callers that hold text rather than a project on disk, such as the schematics' tree.
 *
 * @example
 * ```ts
 * const { text } = editSource('src/main.ts', source, (src) => src.imports.ref('@bastion/nest', 'configureBastion'));
 * ```
 */
export function editSource<T>(path: string, text: string, edit: (src: SourceEdit) => T): { text: string; result: T } {
  const file = parseSource(path, text);
  const edits = new TextEdits(path);
  const imports = new ImportEditor(file, edits);
  const result = edit({ file, edits, imports });
  imports.flush();
  return { text: edits.size ? edits.apply(text) : text, result };
}
