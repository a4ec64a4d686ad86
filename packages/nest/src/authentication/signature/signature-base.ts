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

/**
 * The `@signature-params` value: the covered components and parameters as an RFC 8941 inner list
 * (RFC 9421 §2.3). The usual parameters (integers, plain strings) are written directly — exactly what
 * the structured-field serializer produces, at a fraction of its cost; anything else goes through it.
 */
export function signatureParamsValue(covered: readonly Item[], params: Parameters): string {
  const tail = plainParameters(params);
  if (tail === undefined) return serializeInnerList([[...covered], params]);
  return `(${covered.map(componentId).join(' ')})${tail}`;
}

/**
 * RFC 9421 §2.5: one line per covered component (`"<identifier>": <value>`), then the
 * `"@signature-params"` line, joined with LF and without a trailing newline. Throws
 * `ERR_COMPONENT_INVALID` for a component that cannot be derived, a repeated one, or `@signature-params`.
 */
export function signatureBase(message: HttpMessage, covered: readonly Item[], params: Parameters): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const item of covered) {
    const id = componentId(item);
    // RFC 9421 §2.5: a component identifier appears at most once; @signature-params only as the last line.
    if (seen.has(id)) reject('ERR_COMPONENT_INVALID', `${id} is covered twice`);
    if (item[0] === '@signature-params') reject('ERR_COMPONENT_INVALID', '@signature-params cannot be covered');
    seen.add(id);
    const value = componentValue(message, item);
    if (UNSAFE.test(value)) reject('ERR_COMPONENT_INVALID', `${id} has a value outside visible ASCII`);
    lines.push(`${id}: ${value}`);
  }
  lines.push(`"@signature-params": ${signatureParamsValue(covered, params)}`);
  return lines.join('\n');
}
