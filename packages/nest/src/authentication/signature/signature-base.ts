import { componentId, componentValue } from './components.js';
import type { HttpMessage } from './http-message.js';
import { reject } from './signature-errors.js';
import { serializeInnerList, type Item, type Parameters } from './structured-fields.js';

// Visible ASCII and space: a value outside it could be encoded two ways (RFC 9421 §2.1.3 offers `bs`).
const UNSAFE = /[^\x20-\x7e]/;

// RFC 8941 §3.3.3 sf-string characters that serialize as themselves (no `"` or `\\` to escape).
const PLAIN_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** RFC 8941 §4.1.1.2: `;key=value` per parameter, for the integer and plain-string values signatures carry; else undefined. */
function plainParameters(params: Parameters): string | undefined {
  let out = '';
  for (const [key, value] of params) {
    if (typeof value === 'number' && Number.isSafeInteger(value) && Math.abs(value) <= 999_999_999_999_999) out += `;${key}=${value}`;
    else if (typeof value === 'string' && PLAIN_STRING.test(value)) out += `;${key}="${value}"`;
    else return undefined;
  }
  return out;
}

/** The `@signature-params` value from already serialized identifiers (see {@link signatureParamsValue}). */
function writeParams(covered: readonly Item[], ids: readonly string[], params: Parameters): string {
  const tail = plainParameters(params);
  return tail === undefined ? serializeInnerList([[...covered], params]) : `(${ids.join(' ')})${tail}`;
}

/**
 * The `@signature-params` value: the covered components and parameters as an RFC 8941 inner list
 * (RFC 9421 §2.3). The usual parameters (integers, plain strings) are written directly — exactly what
 * the structured-field serializer produces, at a fraction of its cost; anything else goes through it.
 */
export function signatureParamsValue(covered: readonly Item[], params: Parameters): string {
  return writeParams(covered, covered.map(componentId), params);
}

/**
 * RFC 9421 §2.5: one line per covered component (`"<identifier>": <value>`), then the
 * `"@signature-params"` line, joined with LF and without a trailing newline. Throws
 * `ERR_COMPONENT_INVALID` for a component that cannot be derived, a repeated one, or `@signature-params`.
 * `ids` (the serialized identifiers of `covered`) and `paramsValue` (the `@signature-params` value) are
 * written from `covered` and `params` unless the caller has them already.
 */
export function signatureBase(
  message: HttpMessage,
  covered: readonly Item[],
  params: Parameters,
  ids: readonly string[] = covered.map(componentId),
  paramsValue?: string,
): string {
  let base = '';
  for (let i = 0; i < covered.length; i++) {
    const item = covered[i]!;
    const id = ids[i]!;
    // RFC 9421 §2.5: a component identifier appears at most once; @signature-params only as the last line.
    // A scan of the earlier ones: the list is short (bounded by `limits.maxComponents` on the verifier).
    if (ids.indexOf(id) < i) reject('ERR_COMPONENT_INVALID', `${id} is covered twice`);
    if (item[0] === '@signature-params') reject('ERR_COMPONENT_INVALID', '@signature-params cannot be covered');
    const value = componentValue(message, item);
    if (UNSAFE.test(value)) reject('ERR_COMPONENT_INVALID', `${id} has a value outside visible ASCII`);
    base += `${id}: ${value}\n`;
  }
  return `${base}"@signature-params": ${paramsValue ?? writeParams(covered, ids, params)}`;
}
