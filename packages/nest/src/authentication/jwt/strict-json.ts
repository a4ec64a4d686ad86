/**
 * A strict JSON reader for JOSE headers and JWT claim sets. `JSON.parse` silently keeps the last of
 * duplicate member names, so two parsers can disagree on what a token says (RFC 7515 §5.2 step 4,
 * RFC 8725 §3.1): this one refuses duplicates, bounds nesting, and returns `undefined` on any error.
 */
const MAX_DEPTH = 32;
const LITERALS: [string, unknown][] = [['true', true], ['false', false], ['null', null]];
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const NUMBER_CHARS = new Set([...'-+.eE0123456789'].map((c) => c.charCodeAt(0)));

class Reader {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseDocument(): unknown {
    const value = this.value(0);
    this.ws();
    if (this.pos !== this.text.length) throw new SyntaxError('trailing data');
    return value;
  }

  private ws(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else break;
    }
  }

  private value(depth: number): unknown {
    if (depth > MAX_DEPTH) throw new SyntaxError('too deep');
    this.ws();
    const c = this.text[this.pos];
    if (c === '{') return this.object(depth + 1);
    if (c === '[') return this.array(depth + 1);
    if (c === '"') return this.string();
    return this.literal();
  }

  private object(depth: number): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    this.ws();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.text[this.pos] !== '"') throw new SyntaxError('member name expected');
      const key = this.string();
      if (seen.has(key)) throw new SyntaxError('duplicate member name');
      seen.add(key);
      this.ws();
      if (this.text[this.pos] !== ':') throw new SyntaxError('colon expected');
      this.pos++;
      const value = this.value(depth);
      // defineProperty keeps "__proto__" an own data property, as JSON.parse does.
      if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
      this.ws();
      const next = this.text[this.pos++];
      if (next === '}') return out;
      if (next !== ',') throw new SyntaxError('comma expected');
    }
  }

  private array(depth: number): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.ws();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth));
      this.ws();
      const next = this.text[this.pos++];
      if (next === ']') return out;
      if (next !== ',') throw new SyntaxError('comma expected');
    }
  }

  private string(): string {
    const start = this.pos;
    const t = this.text;
    let plain = true;
    this.pos++;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        this.pos++;
        // Fast path: no escapes, no control characters; otherwise JSON.parse validates the literal.
        return plain ? t.slice(start + 1, this.pos - 1) : (JSON.parse(t.slice(start, this.pos)) as string);
      }
      if (c === 0x5c) {
        plain = false;
        this.pos += 2;
      } else {
        if (c < 0x20) plain = false;
        this.pos++;
      }
    }
    throw new SyntaxError('unterminated string');
  }

  private literal(): unknown {
    const t = this.text;
    for (const [word, value] of LITERALS) {
      if (t.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    const start = this.pos;
    while (this.pos < t.length && NUMBER_CHARS.has(t.charCodeAt(this.pos))) this.pos++;
    const token = t.slice(start, this.pos);
    if (!NUMBER.test(token)) throw new SyntaxError('value expected');
    return Number(token);
  }
}

/** Parses `text` as one JSON object with unique member names; `undefined` when it is anything else. */
export function parseStrictJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = new Reader(text).parseDocument();
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
