import { assertContentType } from './content-negotiation.js';
import { InputRejected } from './input-rejected.js';
import { hasDuplicateKeys } from './json-duplicates.js';
import { assertJsonStructure, type JsonStructureLimits } from './json-structure.js';
import { isJsonMediaType } from './media-type.js';
import { parseQueryString, type QueryLimits } from './query-string.js';

/** What {@link parseRequestBody} needs to know. */
export interface BodyPolicy {
  /** Allowed media types (lower-case essences). */
  contentTypes: readonly string[];
  json: JsonStructureLimits;
  form: QueryLimits;
}

// fatal: invalid UTF-8 is a client error rather than silently replaced with U+FFFD (which would let
// two different byte strings parse to one value). The BOM is stripped (RFC 8259 §8.1 allows ignoring it).
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(raw: Buffer): string {
  try {
    return utf8.decode(raw);
  } catch {
    throw new InputRejected('ERR_BAD_REQUEST', 'body is not valid UTF-8');
  }
}

/**
 * Turns the raw bytes of a request body into the value handlers see, by media type: JSON (objects and
 * arrays only, as body-parser's `strict`), URL-encoded forms (flat, same limits as queries), or the raw
 * `Buffer` for any other allowed type. Framework-free: both adapters call it with the bytes they read.
 */
export function parseRequestBody(raw: Buffer, headers: { contentType?: string; contentEncoding?: string }, policy: BodyPolicy): unknown {
  const type = assertContentType(headers.contentType, headers.contentEncoding, policy.contentTypes);
  if (isJsonMediaType(type.essence)) {
    // RFC 8259 §2: a JSON text is one value; an empty body labelled JSON is malformed.
    if (raw.length === 0) throw new InputRejected('ERR_BAD_REQUEST', 'empty JSON body');
    const text = decodeUtf8(raw);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      if (error instanceof InputRejected) throw error;
      throw new InputRejected('ERR_BAD_REQUEST', 'malformed JSON');
    }
    if (typeof value !== 'object' || value === null) throw new InputRejected('ERR_BAD_REQUEST', 'JSON body must be an object or array');
    assertJsonStructure(value, policy.json);
    if (hasDuplicateKeys(text)) throw new InputRejected('ERR_BAD_REQUEST', 'duplicate key in JSON object');
    return value;
  }
  if (type.essence === 'application/x-www-form-urlencoded') return parseQueryString(decodeUtf8(raw), policy.form);
  return raw;
}
