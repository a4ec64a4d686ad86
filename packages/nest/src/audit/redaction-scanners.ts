/**
 * Hand-written matchers for the redaction patterns a regular expression cannot match in linear time.
 * Each walks the string once (every character is looked at a bounded number of times), so a hostile
 * string costs the same per character as a plain one. Framework-free; used by `redactPatterns`.
 */

/** `[A-Za-z0-9_-]`: base64url, the alphabet of every JOSE compact segment (RFC 7515 §2). */
const BASE64URL = new Uint8Array(128);
/** `[A-Za-z0-9-]`: one DNS label (RFC 1035 §2.3.1, with leading digits as RFC 1123 allows). */
const LABEL = new Uint8Array(128);
/** `[A-Za-z0-9._%+-]`: the usual e-mail local part (dot-atom and the characters mailers quote rarely). */
const LOCAL = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  BASE64URL[c] = alnum || c === 45 || c === 95 ? 1 : 0;
  LABEL[c] = alnum || c === 45 ? 1 : 0;
  LOCAL[c] = alnum || c === 46 || c === 95 || c === 37 || c === 43 || c === 45 ? 1 : 0;
}

const isIn = (table: Uint8Array, code: number) => code < 128 && table[code] === 1;

/** End of the run of `table` characters that starts at `from`. */
function runEnd(s: string, from: number, table: Uint8Array): number {
  let i = from;
  while (i < s.length && isIn(table, s.charCodeAt(i))) i++;
  return i;
}

/** A `[start, end)` range of the input to replace. */
export type Span = readonly [number, number];

/**
 * Shortest protected header: `{"a":1}` (10 characters in base64url). A real one names `alg`
 * (`{"alg":"none"}` is already 19), so this only keeps words like `keyJar.a.b` out.
 */
const MIN_HEADER = 10;
const DOT = 46;

/**
 * JWS (3 parts) and JWE (5 parts) compact serialisations: a segment starting `eyJ` (every JOSE header
 * starts with `{"`), then 2 to 4 more segments after dots. Anywhere in the text — also right after a
 * letter, digit, `_` or an encoded `=` (`token_eyJ…`, `%3DeyJ…`), where a `\b` anchor would miss it.
 *
 * Linear: runs are maximal (a segment cannot contain a dot), so every `eyJ` inside one run ends where the
 * run ends; once a run is judged, the scan resumes at its end instead of re-scanning it from each `eyJ`
 * (the quadratic path of `\beyJ[…]{2,8192}(?:\.…){2,4}` on `-eyJaa-eyJaa…`).
 */
export function jwtSpans(s: string): Span[] {
  const spans: Span[] = [];
  let from = 0;
  for (;;) {
    const start = s.indexOf('eyJ', from);
    if (start === -1) return spans;
    const headerEnd = runEnd(s, start + 3, BASE64URL);
    let end = headerEnd;
    let parts = 1;
    if (headerEnd - start >= MIN_HEADER) {
      while (parts < 5 && s.charCodeAt(end) === DOT) {
        end = runEnd(s, end + 1, BASE64URL);
        parts++;
      }
    }
    if (parts >= 3) {
      spans.push([start, end]);
      from = end;
    } else {
      from = headerEnd;
    }
  }
}

const AT = 64;

/**
 * E-mail addresses: up to 64 local-part characters, `@`, then a domain of 2 to 9 labels of 1 to 63
 * characters (RFC 5321 §4.5.3.1 limits). Anchored on each `@`: the local part is read leftwards (never
 * past the end of the previous match or the previous `@`), the domain rightwards (never past the next
 * `@`), so each character is read at most twice — unlike the regex, which tried a 64-character local
 * part at every position of the text.
 */
export function emailSpans(s: string): Span[] {
  const spans: Span[] = [];
  let floor = 0;
  for (let at = s.indexOf('@'); at !== -1; at = s.indexOf('@', at + 1)) {
    let start = at;
    while (start > floor && at - start < 64 && isIn(LOCAL, s.charCodeAt(start - 1))) start--;
    if (start === at) {
      floor = at + 1;
      continue;
    }
    let end = runEnd(s, at + 1, LABEL);
    let labels = 1;
    if (end - at - 1 < 1 || end - at - 1 > 63) {
      floor = at + 1;
      continue;
    }
    while (labels < 9 && s.charCodeAt(end) === DOT) {
      const next = runEnd(s, end + 1, LABEL);
      if (next - end - 1 < 1 || next - end - 1 > 63) break;
      end = next;
      labels++;
    }
    if (labels >= 2) {
      spans.push([start, end]);
      floor = end;
      at = end - 1;
    } else {
      floor = at + 1;
    }
  }
  return spans;
}

/**
 * Names whose value is a secret when they are followed by a separator in free text (`password=…`,
 * `"client_secret": "…"`, `Set-Cookie: …`, `auth=…`, `signature: …`). Plain alternatives of literals:
 * a failed attempt costs a few characters.
 */
const SECRET_NAME = /authorization|auth|token|passw(?:or)?d|pwd|secret|api[_-]?key|private[_-]?key|cookie|signature/gi;
/**
 * What must follow such a name, read only at the end of one: an optional closing quote, a separator (`=`,
 * `:`, or their URL encodings `%3D`, `%3A`) with up to 4 spaces around it, an optional opening quote, and
 * the value, which runs to whitespace, a quote or a delimiter — not to `&`: over-redacting the rest of a
 * query string is better than leaking the tail of a secret that contains `&`.
 */
const SECRET_VALUE = /["']?\s{0,4}(?:[=:]|%3[dDaA])\s{0,4}["']?([^\s"',;{}[\]]+)/y;

/**
 * Values of `name=value` pairs whose name says "secret", wherever they are written (messages, URLs,
 * JSON text, headers dumped as text), also URL-encoded (`…%3Faccess_token%3DeyJ…`). The name may be
 * part of a longer one (`client_secret`, `X-Api-Key`, `webhookToken`). Linear: names are found by one
 * left-to-right search; the check after each is bounded, and a value found is skipped over.
 */
export function secretValueSpans(s: string): Span[] {
  const spans: Span[] = [];
  const names = new RegExp(SECRET_NAME);
  for (let hit = names.exec(s); hit; hit = names.exec(s)) {
    SECRET_VALUE.lastIndex = hit.index + hit[0].length;
    const value = SECRET_VALUE.exec(s);
    if (!value) continue;
    spans.push([SECRET_VALUE.lastIndex - value[1]!.length, SECRET_VALUE.lastIndex]);
    names.lastIndex = SECRET_VALUE.lastIndex;
  }
  return spans;
}

/** Scheme characters after the first letter (RFC 3986 §3.1). */
const SCHEME = new Uint8Array(128);
for (let c = 0; c < 128; c++) SCHEME[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 45 || c === 46 ? 1 : 0;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029 || (c >= 0x2000 && c <= 0x200a) || c === 0x1680 || c === 0x202f || c === 0x205f || c === 0x3000;
const COLON = 58;
const SLASH = 47;

/**
 * Passwords in URL userinfo (RFC 3986 §3.2.1, deprecated but common in connection strings):
 * `scheme://user:password@host`. Anchored on each `://`; the user and password are read rightwards and
 * stop at `/`, so no character is read for more than two anchors.
 */
export function userinfoPasswordSpans(s: string): Span[] {
  const spans: Span[] = [];
  for (let anchor = s.indexOf('://'); anchor !== -1; anchor = s.indexOf('://', anchor + 3)) {
    let scheme = anchor;
    while (scheme > 0 && anchor - scheme < 21 && SCHEME[s.charCodeAt(scheme - 1)] === 1) scheme--;
    while (scheme < anchor && !isLetter(s.charCodeAt(scheme))) scheme++;
    if (scheme === anchor) continue;
    let i = anchor + 3;
    while (i < s.length && !isSpace(s.charCodeAt(i)) && s.charCodeAt(i) !== COLON && s.charCodeAt(i) !== SLASH && s.charCodeAt(i) !== AT) i++;
    if (s.charCodeAt(i) !== COLON) continue;
    const start = i + 1;
    let end = start;
    while (end < s.length && !isSpace(s.charCodeAt(end)) && s.charCodeAt(end) !== SLASH && s.charCodeAt(end) !== AT) end++;
    if (end > start && s.charCodeAt(end) === AT) spans.push([start, end]);
  }
  return spans;
}

/** The regular expressions the scanners use (for the ReDoS check in the tests). */
export const SCANNER_REGEXPS: Readonly<Record<string, RegExp>> = { SECRET_NAME, SECRET_VALUE };

/** `s` with every span replaced by `replacement` (spans sorted and disjoint, as the scanners return them). */
export function replaceSpans(s: string, spans: readonly Span[], replacement: string): string {
  if (spans.length === 0) return s;
  let out = '';
  let last = 0;
  for (const [start, end] of spans) {
    out += s.slice(last, start) + replacement;
    last = end;
  }
  return out + s.slice(last);
}
