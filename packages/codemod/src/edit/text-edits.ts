import { CodemodError } from '../errors.js';

export interface TextEdit {
  start: number;
  end: number;
  text: string;
  /** Among inserts at one position, lower goes first (imports use -1). */
  priority: number;
}

/** Collects non-overlapping text replacements and applies them in one pass, so untouched text stays byte-identical. */
export class TextEdits {
  readonly edits: TextEdit[] = [];

  constructor(readonly file: string) {}

  insert(pos: number, text: string, priority = 0): void {
    this.edits.push({ start: pos, end: pos, text, priority });
  }

  replace(start: number, end: number, text: string): void {
    this.edits.push({ start, end, text, priority: 0 });
  }

  remove(start: number, end: number): void {
    this.edits.push({ start, end, text: '', priority: 0 });
  }

  get size(): number {
    return this.edits.length;
  }

  apply(source: string): string {
    // Stable: inserts at the same position keep the order they were made in.
    const sorted = this.edits.map((e, i) => ({ ...e, i })).sort((a, b) => a.start - b.start || a.end - b.end || a.priority - b.priority || a.i - b.i);
    let out = '';
    let pos = 0;
    for (const e of sorted) {
      if (e.start < pos) {
        const line = source.slice(0, e.start).split('\n').length;
        throw new CodemodError('ERR_EDIT_OVERLAP', 'two edits overlap; the file was left unchanged', this.file, line);
      }
      out += source.slice(pos, e.start) + e.text;
      pos = e.end;
    }
    return out + source.slice(pos);
  }
}

/** Start of the line holding `pos`. */
export function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** Leading whitespace of the line holding `pos`. */
export function indentAt(text: string, pos: number): string {
  const start = lineStart(text, pos);
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/** Range covering the whole lines from `start` to `end` (with the trailing newline), when nothing else is on them. */
export function wholeLines(text: string, start: number, end: number): { start: number; end: number } {
  const ls = lineStart(text, start);
  let le = text.indexOf('\n', end);
  le = le === -1 ? text.length : le + 1;
  const before = text.slice(ls, start);
  const after = text.slice(end, le);
  if (/^[ \t]*$/.test(before) && /^[ \t]*\r?\n?$/.test(after)) return { start: ls, end: le };
  return { start, end };
}
