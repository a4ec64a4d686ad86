/**
 * The one place the rest of the signature code gets RFC 8941 structured fields from. `structured-headers` is
 * the parser of record; dictionaries in the canonical form signers emit are read by a strict fast path that
 * returns the same values or declines to the library (see `canonical-dictionary.ts`).
 */
import { parseDictionary as parseDictionaryStrict, type Dictionary } from 'structured-headers';
import { parseCanonicalDictionary } from './canonical-dictionary.js';

export { parseItem, parseList, serializeDictionary, serializeInnerList, serializeItem, serializeList, Token } from 'structured-headers';
export type { BareItem, Dictionary, InnerList, Item, List, Parameters } from 'structured-headers';

/** RFC 8941 §4.2 dictionary parsing; throws the library's parse error for an invalid field. */
export function parseDictionary(input: string): Dictionary {
  return parseCanonicalDictionary(input) ?? parseDictionaryStrict(input);
}

/** Each parser on its own, for a caller that needs to know whether a field was in canonical form. */
export { parseCanonicalDictionary, parseDictionaryStrict };

/**
 * The bytes of a byte-sequence bare item: the library parses one into an ArrayBuffer (viewed here, not
 * copied), the fast path into a Buffer. `undefined` for any other value.
 */
export function byteSequence(value: unknown): Buffer | undefined {
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  return Buffer.isBuffer(value) ? value : undefined;
}
