import { reject } from './signature-errors.js';
import { byteSequence, parseCanonicalDictionary, parseDictionaryStrict, type Dictionary, type Item, type Parameters } from './structured-fields.js';

/** Bounds on what a request may carry, checked before anything is parsed further. */
export interface SignatureLimits {
  /** Bytes of all `Signature-Input` lines together, and of all `Signature` lines. */
  readonly maxFieldBytes: number;
  /** Signatures (labels) in one message. */
  readonly maxSignatures: number;
  /** Covered components per signature. */
  readonly maxComponents: number;
}

/** One signature of a message: its label, covered components, parameters and value. */
export interface SignatureEntry {
  readonly label: string;
  readonly covered: readonly Item[];
  readonly params: Parameters;
  readonly signature: Buffer;
  /**
   * The `@signature-params` value (RFC 9421 §2.3) as received, when `Signature-Input` held this one
   * signature in canonical form: such text is exactly the serialization of `covered` and `params`.
   */
  readonly signatureParams: string | undefined;
}

/** The parsed field, and its text when that was in canonical form (the serialization of the value). */
function dictionary(lines: readonly string[], field: string, limits: SignatureLimits): [Dictionary, string | undefined] {
  let bytes = 0;
  for (const line of lines) bytes += line.length;
  if (bytes > limits.maxFieldBytes) reject('ERR_SIGNATURE_MALFORMED', `${field} over ${limits.maxFieldBytes} bytes`);
  // RFC 8941 §4.2: several field lines are one value, joined with commas.
  const text = lines.length === 1 ? lines[0]! : lines.join(', ');
  const canonical = parseCanonicalDictionary(text);
  if (canonical !== undefined) return [canonical, text];
  try {
    return [parseDictionaryStrict(text), undefined];
  } catch (error) {
    reject('ERR_SIGNATURE_MALFORMED', `${field} is not an RFC 8941 dictionary`, { cause: error });
  }
}

const isString = (item: Item): boolean => typeof item[0] === 'string';

/**
 * Parses `Signature-Input` and `Signature` (RFC 9421 §4.1, §4.2) into the signatures present under the
 * same label in both. Throws `ERR_SIGNATURE_MALFORMED` (a 400) when either field is not a dictionary,
 * a member has the wrong shape, a label is in one field only, or a limit is passed.
 */
export function parseSignatureHeaders(inputLines: readonly string[], signatureLines: readonly string[], limits: SignatureLimits): SignatureEntry[] {
  const [inputs, inputText] = dictionary(inputLines, 'Signature-Input', limits);
  const [signatures] = dictionary(signatureLines, 'Signature', limits);
  if (inputs.size > limits.maxSignatures || signatures.size > limits.maxSignatures) reject('ERR_SIGNATURE_MALFORMED', `more than ${limits.maxSignatures} signatures`);
  const entries: SignatureEntry[] = [];
  for (const [label, input] of inputs) {
    const value = signatures.get(label);
    if (!value) reject('ERR_SIGNATURE_MALFORMED', `label ${label} has no Signature`);
    // RFC 9421 §4.1: each member is an inner list of strings; §4.2: each signature a byte sequence.
    const [covered, params] = input as [unknown, Parameters];
    if (!Array.isArray(covered)) reject('ERR_SIGNATURE_MALFORMED', `Signature-Input ${label} is not an inner list`);
    if (covered.length > limits.maxComponents) reject('ERR_SIGNATURE_MALFORMED', `Signature-Input ${label} covers more than ${limits.maxComponents} components`);
    if (!covered.every(isString)) reject('ERR_SIGNATURE_MALFORMED', `Signature-Input ${label} lists a non-string component`);
    const bytes = byteSequence(value[0]);
    if (bytes === undefined || value[1].size > 0) reject('ERR_SIGNATURE_MALFORMED', `Signature ${label} is not a byte sequence`);
    // A canonical field of one member is `<label>=<the member as serialized>`.
    const signatureParams = inputText !== undefined && inputs.size === 1 ? inputText.slice(label.length + 1) : undefined;
    entries.push({ label, covered: covered as Item[], params, signature: bytes, signatureParams });
  }
  for (const label of signatures.keys()) if (!inputs.has(label)) reject('ERR_SIGNATURE_MALFORMED', `label ${label} has no Signature-Input`);
  return entries;
}
