import { describe, expect, it } from 'vitest';
import { CodemodError } from '../../src/errors.js';
import { TextEdits } from '../../src/edit/text-edits.js';

describe('TextEdits', () => {
  it('applies inserts, replacements and removals in one pass, imports first at a shared position', () => {
    const e = new TextEdits('a.ts');
    const src = 'one\ntwo\nthree\n';
    e.insert(4, '@X()\n');
    e.insert(4, 'import x;\n', -1);
    e.replace(8, 13, 'THREE');
    expect(e.apply(src)).toBe('one\nimport x;\n@X()\ntwo\nTHREE\n');
  });

  it('maps lines of the result back to the original', () => {
    const e = new TextEdits('a.ts');
    const src = 'a\nb\nc\nd\n';
    e.insert(2, 'new1\nnew2\n'); // before line 2
    e.remove(4, 6); // removes line 3 ("c\n")
    const { text, lineMap } = e.applyWithLineMap(src);
    expect(text).toBe('a\nnew1\nnew2\nb\nd\n');
    expect([1, 4, 5].map(lineMap)).toEqual([1, 2, 4]);
    expect(lineMap(2)).toBe(2);
  });

  it('refuses overlapping edits with the file and line', () => {
    const e = new TextEdits('src/x.ts');
    e.replace(0, 5, 'a');
    e.replace(3, 8, 'b');
    expect(() => e.apply('0123456789')).toThrow(CodemodError);
    expect(() => e.apply('0123456789')).toThrow(/src\/x\.ts:1/);
  });
});
