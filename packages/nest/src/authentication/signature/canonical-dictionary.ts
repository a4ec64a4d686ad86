import { Token, type BareItem, type Dictionary, type InnerList, type Item, type Parameters } from 'structured-headers';

/*
 * A strict fast path in front of `structured-headers`, the parser of record. It reads the canonical form
 * signers emit (the RFC 8941 §4.1 serialization) of a dictionary whose members are inner lists or items, with
 * items and parameters that are integers, strings, tokens, byte sequences or booleans, following the parsing
 * algorithm of RFC 8941 §4.2 character by character. Wherever the input leaves that form or the algorithm
 * would be lenient — whitespace other than one SP after a comma or between inner-list items, a repeated key,
 * "=?1" instead of a bare key, a bare-key member, a decimal, a negative or zero-padded integer, an escaped
 * string, a byte sequence without padding or with stray bits, a date, a display string — it declines, and the
 * caller parses the field with the library, which accepts or refuses it.
 *
 * What it returns is, value for value, what the library's `parseDictionary` returns (byte sequences as a
 * Buffer over the same bytes, see `byteSequence`), and what it accepts is exactly the library's serialization
 * of that value; a differential test holds it to both. So replay memory keyed on a nonce or a signature sees
 * the same bytes either way, and accepted text can stand for its serialization.
 */

// The characters the grammar turns on (RFC 8941 §3, §4.2), as char codes.
const SP = 0x20, DQUOTE = 0x22, LPAREN = 0x28, RPAREN = 0x29, STAR = 0x2a, COMMA = 0x2c, ZERO = 0x30, NINE = 0x39;
const COLON = 0x3a, SEMICOLON = 0x3b, EQUALS = 0x3d, QUESTION = 0x3f, BACKSLASH = 0x5c;

// RFC 8941 §4.2.6 / RFC 9110 §5.6.2: tchar, plus ":" and "/", continue a token.
const TOKEN_CHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~:/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") TOKEN_CHAR[c.charCodeAt(0)] = 1;

// RFC 4648 §4: the base64 alphabet (never the URL-safe one); -1 outside it.
const BASE64 = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) BASE64[c.charCodeAt(0)] = i;

const isDigit = (c: number): boolean => c >= ZERO && c <= NINE;
const isLcAlpha = (c: number): boolean => c >= 0x61 && c <= 0x7a;
const isAlpha = (c: number): boolean => isLcAlpha(c) || (c >= 0x41 && c <= 0x5a);
// RFC 8941 §3.1.2: key = ( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "." / "*" )
const isKeyChar = (c: number): boolean => isLcAlpha(c) || isDigit(c) || c === 0x5f || c === 0x2d || c === 0x2e || c === STAR;
const base64Value = (c: number): number => (c < 128 ? BASE64[c]! : -1);

/** One pass over one input; every method returns `undefined` to decline. `charCodeAt` past the end is NaN, which no test accepts. */
class CanonicalParser {
  private pos = 0;

  constructor(private readonly input: string) {}

  dictionary(): Dictionary | undefined {
    const { input } = this;
    // RFC 8941 §4.2: an empty field is an empty dictionary for the library; nothing to gain here.
    if (input.length === 0) return undefined;
    const dictionary: Dictionary = new Map();
    for (;;) {
      const key = this.key();
      // RFC 8941 §4.2.2: a repeated key overwrites the earlier member; canonical output never repeats one.
      if (key === undefined || dictionary.has(key)) return undefined;
      // RFC 8941 §4.2.2: a key without "=" is a boolean true member; not a form signatures use.
      if (input.charCodeAt(this.pos) !== EQUALS) return undefined;
      this.pos++;
      const member = input.charCodeAt(this.pos) === LPAREN ? this.innerList() : this.item();
      // RFC 8941 §4.1.2: a true member is serialized as the bare key, never "=?1".
      if (member === undefined || member[0] === true) return undefined;
      dictionary.set(key, member);
      if (this.pos === input.length) return dictionary;
      // RFC 8941 §4.1.2: members are joined by "," and one SP; §4.2.2 would also take tabs and runs of OWS.
      if (input.charCodeAt(this.pos) !== COMMA || input.charCodeAt(this.pos + 1) !== SP) return undefined;
      this.pos += 2;
    }
  }

  // RFC 8941 §4.2.1.2: "(" items separated by one SP ")" then parameters (§4.1.1.1 serializes it so).
  private innerList(): InnerList | undefined {
    const { input } = this;
    this.pos++;
    const items: Item[] = [];
    if (input.charCodeAt(this.pos) !== RPAREN) {
      for (;;) {
        const item = this.item();
        if (item === undefined) return undefined;
        items.push(item);
        const c = input.charCodeAt(this.pos);
        if (c === RPAREN) break;
        if (c !== SP) return undefined;
        this.pos++;
      }
    }
    this.pos++;
    const params = this.parameters();
    return params === undefined ? undefined : [items, params];
  }

  // RFC 8941 §4.2.3: a bare item, then its parameters.
  private item(): Item | undefined {
    const value = this.bareItem();
    if (value === undefined) return undefined;
    const params = this.parameters();
    return params === undefined ? undefined : [value, params];
  }

  // RFC 8941 §4.2.3.2: ";" key [ "=" bare-item ], repeated; no SP after ";" in canonical form.
  private parameters(): Parameters | undefined {
    const { input } = this;
    const params: Parameters = new Map();
    while (input.charCodeAt(this.pos) === SEMICOLON) {
      this.pos++;
      const key = this.key();
      // RFC 8941 §4.2.3.2: a repeated parameter overwrites; canonical output never repeats one.
      if (key === undefined || params.has(key)) return undefined;
      let value: BareItem | undefined = true;
      if (input.charCodeAt(this.pos) === EQUALS) {
        this.pos++;
        value = this.bareItem();
        // RFC 8941 §4.1.1.2: a true parameter is serialized as the bare key, never "=?1".
        if (value === undefined || value === true) return undefined;
      }
      params.set(key, value);
    }
    return params;
  }

  // RFC 8941 §4.2.3.3
  private key(): string | undefined {
    const { input } = this;
    const start = this.pos;
    const first = input.charCodeAt(start);
    if (!isLcAlpha(first) && first !== STAR) return undefined;
    this.pos++;
    while (isKeyChar(input.charCodeAt(this.pos))) this.pos++;
    return input.slice(start, this.pos);
  }

  // RFC 8941 §4.2.3.1: dispatch on the first character. "-" (negative), "@" (date) and "%" (display string) decline.
  private bareItem(): BareItem | undefined {
    const c = this.input.charCodeAt(this.pos);
    if (isDigit(c)) return this.integer();
    if (c === DQUOTE) return this.string();
    if (isAlpha(c) || c === STAR) return this.token();
    if (c === COLON) return this.byteSequence();
    if (c === QUESTION) return this.boolean();
    return undefined;
  }

  // RFC 8941 §4.2.4: at most 15 digits; a "." would make it a decimal, which declines, as do leading zeros.
  private integer(): number | undefined {
    const { input } = this;
    const start = this.pos;
    let value = 0;
    for (let c = input.charCodeAt(this.pos); isDigit(c); c = input.charCodeAt(++this.pos)) value = value * 10 + (c - ZERO);
    const digits = this.pos - start;
    if (digits > 15 || (digits > 1 && input.charCodeAt(start) === ZERO) || input.charCodeAt(this.pos) === 0x2e) return undefined;
    return value;
  }

  // RFC 8941 §4.2.5: printable ASCII between quotes; any backslash escape declines.
  private string(): string | undefined {
    const { input } = this;
    const start = ++this.pos;
    for (let c = input.charCodeAt(this.pos); c !== DQUOTE; c = input.charCodeAt(++this.pos)) {
      if (!(c >= SP && c <= 0x7e) || c === BACKSLASH) return undefined;
    }
    return input.slice(start, this.pos++);
  }

  // RFC 8941 §4.2.6
  private token(): Token {
    const { input } = this;
    const start = this.pos++;
    for (let c = input.charCodeAt(this.pos); c < 128 && TOKEN_CHAR[c] === 1; c = input.charCodeAt(++this.pos));
    return new Token(input.slice(start, this.pos));
  }

  /**
   * RFC 8941 §4.2.7: ":" base64 ":". Only the padded encoding RFC 8941 §4.1.8 serializes (RFC 4648 §4 with
   * "=" padding, unused bits zero) is read here, so one byte string has one accepted spelling; the
   * library's decoder is more forgiving and decides the rest. The bytes come back as a Buffer rather than
   * the library's fresh ArrayBuffer: V8 allocates every ArrayBuffer outside its heap, which costs more
   * than parsing the whole field, while a small Buffer comes from Node's pool. Checked and decoded in one
   * pass.
   */
  private byteSequence(): Buffer | undefined {
    const { input } = this;
    const start = ++this.pos;
    // RFC 8941 §4.2.7: the sequence ends at the next ":" (not a base64 character).
    const close = input.indexOf(':', start);
    const length = close - start;
    if (close === -1 || length % 4 !== 0) return undefined;
    const padding = length === 0 || input.charCodeAt(close - 1) !== EQUALS ? 0 : input.charCodeAt(close - 2) === EQUALS ? 2 : 1;
    // RFC 4648 §4: four characters carry three bytes; a padded last group carries one or two.
    const bytes = Buffer.allocUnsafe((length / 4) * 3 - padding);
    const groups = padding === 0 ? close : close - 4;
    let out = 0;
    for (let i = start; i < groups; i += 4) {
      const n = (base64Value(input.charCodeAt(i)) << 18) | (base64Value(input.charCodeAt(i + 1)) << 12) | (base64Value(input.charCodeAt(i + 2)) << 6) | base64Value(input.charCodeAt(i + 3));
      // A character outside the alphabet (an "=" too) is -1, which makes the whole group negative.
      if (n < 0) return undefined;
      bytes[out++] = n >> 16;
      bytes[out++] = (n >> 8) & 0xff;
      bytes[out++] = n & 0xff;
    }
    if (padding > 0) {
      const a = base64Value(input.charCodeAt(groups));
      const b = base64Value(input.charCodeAt(groups + 1));
      const c = padding === 1 ? base64Value(input.charCodeAt(groups + 2)) : 0;
      if ((a | b | c) < 0) return undefined;
      // RFC 4648 §3.5: the bits a padded last group leaves unused are zero in the canonical encoding.
      if ((padding === 2 ? b & 0x0f : c & 0x03) !== 0) return undefined;
      bytes[out++] = (a << 2) | (b >> 4);
      if (padding === 1) bytes[out] = ((b & 0x0f) << 4) | (c >> 2);
    }
    this.pos = close + 1;
    return bytes;
  }

  // RFC 8941 §4.2.8
  private boolean(): boolean | undefined {
    const c = this.input.charCodeAt(++this.pos);
    this.pos++;
    return c === 0x31 ? true : c === ZERO ? false : undefined;
  }
}

/**
 * Parses an RFC 8941 dictionary in canonical form, returning what `structured-headers`' `parseDictionary`
 * returns for it (byte sequences as a Buffer over the same bytes instead of an ArrayBuffer), or
 * `undefined` (declined) for any input outside that form — valid or not, the library then decides.
 */
export function parseCanonicalDictionary(input: string): Dictionary | undefined {
  return new CanonicalParser(input).dictionary();
}
