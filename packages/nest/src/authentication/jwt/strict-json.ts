/**
 * A strict JSON reader for JOSE headers and JWT claim sets. `JSON.parse` silently keeps the last of
 * duplicate member names, so two parsers can disagree on what a token says (RFC 7515 §5.2 step 4,
 * RFC 8725 §3.1): this one refuses duplicates, bounds nesting (32 containers), and returns `undefined`
 * on any error.
 */
const MAX_DEPTH = 32;

const isWhitespace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * Member names in a text `JSON.parse` accepted (so its strings are well formed): the strings followed by
 * `:`. `-1` when containers nest deeper than {@link MAX_DEPTH}.
 */
function memberNamesIn(text: string): number {
  let names = 0;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i++;
      // Skips to the closing quote; an escape is a backslash and the character after it.
      while (text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      let next = i + 1;
      while (isWhitespace(text.charCodeAt(next))) next++;
      if (text.charCodeAt(next) === 0x3a) names++;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_DEPTH) return -1;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return names;
}

/** Members kept by `JSON.parse` in `value` and everything it contains. */
function membersOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let members = 0;
  if (Array.isArray(value)) {
    for (const item of value) members += membersOf(item);
    return members;
  }
  // Own names only (an enumerable property someone added to Object.prototype must not count).
  for (const key of Object.keys(value)) members += 1 + membersOf((value as Record<string, unknown>)[key]);
  return members;
}

/**
 * Parses `text` as one JSON object with unique member names; `undefined` when it is anything else.
 * `JSON.parse` reads it (its own `__proto__` member stays an own data property); since it keeps only the
 * last of duplicate names, the text must name exactly as many members as the result holds.
 */
export function parseStrictJsonObject(text: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const names = memberNamesIn(text);
  return names >= 0 && names === membersOf(value) ? (value as Record<string, unknown>) : undefined;
}
