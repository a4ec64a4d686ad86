function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * True when some object in a JSON text repeats a member name. RFC 8259 §4: names SHOULD be unique, and
 * `JSON.parse` silently keeps the last one, so a signature check, a WAF or a log that reads the first
 * `"role"` and the app that reads the last would disagree. One linear scan over text that `JSON.parse`
 * has already accepted (so it is well-formed); strings are decoded only when they contain escapes.
 */
export function hasDuplicateKeys(text: string): boolean {
  const stack: Array<Set<string> | null> = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) stack.push(new Set());
    else if (c === 0x5b) stack.push(null);
    else if (c === 0x7d || c === 0x5d) stack.pop();
    else if (c === 0x22) {
      let j = i + 1;
      let escaped = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) {
          escaped = true;
          j += 2;
          continue;
        }
        if (d === 0x22) break;
        j++;
      }
      let k = j + 1;
      while (k < n && isWhitespace(text.charCodeAt(k))) k++;
      const keys = stack[stack.length - 1];
      if (keys && text.charCodeAt(k) === 0x3a) {
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        if (keys.has(key)) return true;
        keys.add(key);
      }
      i = j + 1;
      continue;
    }
    i++;
  }
  return false;
}
