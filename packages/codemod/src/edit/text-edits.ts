import { CodemodError } from '../errors.js';

/** One replacement of `start`..`end` (offsets in the original text) by `text`. */
export interface TextEdit {
  /** Offset where the replaced range starts. */
  start: number;
  /** Offset where it ends (equal to `start` for an insert). */
  end: number;
  /** The new text. */
  text: string;
  /** Among inserts at one position, lower goes first (imports use -1). */
  priority: number;
}

/** Collects non-overlapping text replacements and applies them in one pass, so untouched text stays byte-identical. */
export class TextEdits {
  /** The edits collected so far, in the order they were made. */
  readonly edits: TextEdit[] = [];

  /** @param file - the file's path, for the error when two edits overlap */
  constructor(readonly file: string) {}

  /** Inserts `text` at `pos`; among inserts at one position, lower `priority` goes first. */
  insert(pos: number, text: string, priority = 0): void {
    this.edits.push({ start: pos, end: pos, text, priority });
  }

  /** Replaces `start`..`end` with `text`. */
  replace(start: number, end: number, text: string): void {
    this.edits.push({ start, end, text, priority: 0 });
  }

  /** Removes `start`..`end`. */
  remove(start: number, end: number): void {
    this.edits.push({ start, end, text: '', priority: 0 });
  }

  /** How many edits were collected. */
  get size(): number {
    return this.edits.length;
  }

  /** The text with every edit applied; throws `ERR_EDIT_OVERLAP` when two edits overlap. */
  apply(source: string): string {
    return this.applyWithLineMap(source).text;
  }

  /**
   * Applies the edits and returns a map from 1-based lines of the result back to lines of `source`
   * (a line inside inserted text maps to the line the insertion was made on), so reports can cite the
   * user's original file even after several transforms.
   */
  applyWithLineMap(source: string): { text: string; lineMap: (line: number) => number } {
    // Stable: inserts at the same position keep the order they were made in.
    const sorted = this.edits.map((e, i) => ({ ...e, i })).sort((a, b) => a.start - b.start || a.end - b.end || a.priority - b.priority || a.i - b.i);
    const segments: Array<{ newStart: number; newEnd: number; oldStart: number; removed: number; deltaAfter: number }> = [];
    let out = '';
    let pos = 0;
    let line = 1;
    let delta = 0;
    for (const e of sorted) {
      if (e.start < pos) {
        const at = source.slice(0, e.start).split('\n').length;
        throw new CodemodError('ERR_EDIT_OVERLAP', 'two edits overlap; the file was left unchanged', this.file, at);
      }
      line += countNewlines(source, pos, e.start);
      const removed = countNewlines(source, e.start, e.end);
      const added = countNewlines(e.text, 0, e.text.length);
      segments.push({ newStart: line + delta, newEnd: line + delta + added, oldStart: line, removed, deltaAfter: delta + added - removed });
      delta += added - removed;
      line += removed;
      out += source.slice(pos, e.start) + e.text;
      pos = e.end;
    }
    const lineMap = (n: number): number => {
      let d = 0;
      for (const seg of segments) {
        if (n < seg.newStart) break;
        if (n === seg.newEnd) return seg.oldStart + seg.removed;
        if (n < seg.newEnd) return seg.oldStart + Math.min(n - seg.newStart, seg.removed);
        d = seg.deltaAfter;
      }
      return n - d;
    };
    return { text: out + source.slice(pos), lineMap };
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
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
