import { normalizeAuthority, splitTarget, type HttpMessage } from './http-message.js';
import { reject } from './signature-errors.js';
import { parseDictionary, parseItem, parseList, serializeDictionary, serializeInnerList, serializeItem, serializeList, type Item } from './structured-fields.js';

/** Derived components of requests (RFC 9421 §2.2); responses have `@status` only. */
const DERIVED = new Set(['@method', '@target-uri', '@authority', '@scheme', '@request-target', '@path', '@query', '@query-param']);

/**
 * Structured fields whose type is known (RFC 9421 §2.1.1: `sf` needs it). Others cannot be re-serialized
 * strictly and are refused with `sf`/`key`.
 */
const STRUCTURED_FIELDS: Record<string, 'dictionary' | 'list' | 'item'> = {
  'content-digest': 'dictionary',
  'repr-digest': 'dictionary',
  'want-content-digest': 'dictionary',
  'want-repr-digest': 'dictionary',
  'signature-input': 'dictionary',
  signature: 'dictionary',
  'accept-signature': 'dictionary',
  priority: 'dictionary',
  'cache-status': 'list',
  'proxy-status': 'list',
};

// RFC 9110 §5.1 field names (tchar), lower case as RFC 9421 §2.1 requires of component names.
const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;

// RFC 8941 §3.3.3 sf-string characters that serialize as themselves (no `"` or `\\` to escape).
const PLAIN_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * The serialized component identifier (`"@query-param";name="id"`), as it appears in a signature base.
 * A plain name without parameters (nearly every component) is written directly: RFC 8941 §4.1.6 gives
 * it as the name in quotes, which is what the serializer would produce.
 */
export function componentId(item: Item): string {
  const name = item[0];
  if (item[1].size === 0 && typeof name === 'string' && PLAIN_STRING.test(name)) return `"${name}"`;
  return serializeItem(item);
}

/**
 * Parses a component identifier written in configuration (`@method`, `content-digest`,
 * `"@query-param";name="id"`): a bare name is quoted first.
 */
export function parseComponentId(text: string): Item {
  const source = text.startsWith('"') ? text : `"${text.split(';')[0]}"${text.includes(';') ? text.slice(text.indexOf(';')) : ''}`;
  const item = parseItem(source);
  if (typeof item[0] !== 'string') throw new TypeError(`component identifier ${text} must be a string`);
  return item;
}

function paramNames(item: Item): string[] {
  return [...item[1].keys()];
}

/** RFC 9421 §2.2.8: application/x-www-form-urlencoded percent-encoding, with `%20` for a space. */
function encodeQueryPart(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9*\-._]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function authorityOf(message: HttpMessage): string {
  return normalizeAuthority(message.authority, message.scheme.toLowerCase()) ?? reject('ERR_COMPONENT_INVALID', 'request has no usable authority');
}

function queryParam(query: string | undefined, name: unknown): string {
  if (typeof name !== 'string') reject('ERR_COMPONENT_INVALID', '@query-param needs a string name parameter');
  const values: string[] = [];
  for (const [n, v] of new URLSearchParams(query ?? '')) if (encodeQueryPart(n) === name) values.push(encodeQueryPart(v));
  // RFC 9421 §2.2.8: absent, or repeated (ambiguous), cannot be covered.
  if (values.length !== 1) reject('ERR_COMPONENT_INVALID', `@query-param occurs ${values.length} times`);
  return values[0]!;
}

function derived(message: HttpMessage, item: Item): string {
  const name = item[0] as string;
  if (name === '@query-param' ? paramNames(item).some((p) => p !== 'name') : item[1].size > 0) reject('ERR_COMPONENT_INVALID', `parameters not allowed on ${name}`);
  switch (name) {
    case '@method':
      return message.method;
    case '@scheme':
      return message.scheme.toLowerCase();
    case '@authority':
      return authorityOf(message);
    case '@target-uri': {
      const { target } = message;
      // Origin-form without a fragment (nearly every request) is already path and query, as splitTarget would give them.
      if (target.startsWith('/') && !target.includes('#')) return `${message.scheme.toLowerCase()}://${authorityOf(message)}${target}`;
      const { path, query } = splitTarget(target);
      return `${message.scheme.toLowerCase()}://${authorityOf(message)}${path}${query === undefined ? '' : `?${query}`}`;
    }
    case '@request-target':
      return message.target;
    case '@path':
      return splitTarget(message.target).path;
    case '@query':
      return `?${splitTarget(message.target).query ?? ''}`;
    default:
      return queryParam(splitTarget(message.target).query, item[1].get('name'));
  }
}

/** RFC 9421 §2.1: each line trimmed, obsolete folding replaced by a space, joined with ", ". */
function combined(lines: readonly string[]): string {
  return lines.map((line) => line.replace(/\r?\n[ \t]+/g, ' ').trim()).join(', ');
}

function structured(name: string, value: string, key: unknown): string {
  const type = STRUCTURED_FIELDS[name];
  if (!type) reject('ERR_COMPONENT_INVALID', `${name} is not a known structured field`);
  try {
    if (key !== undefined) {
      if (type !== 'dictionary' || typeof key !== 'string') reject('ERR_COMPONENT_INVALID', `key parameter on ${name}`);
      const member = parseDictionary(value).get(key);
      if (member === undefined) reject('ERR_COMPONENT_INVALID', `${name} has no member ${key}`);
      return Array.isArray(member[0]) ? serializeInnerList(member as never) : serializeItem(member as Item);
    }
    if (type === 'dictionary') return serializeDictionary(parseDictionary(value));
    if (type === 'list') return serializeList(parseList(value));
    return serializeItem(parseItem(value));
  } catch (error) {
    if ((error as { name?: string }).name === 'SignatureRejection') throw error;
    reject('ERR_COMPONENT_INVALID', `${name} is not a valid structured field`, { cause: error });
  }
}

function field(message: HttpMessage, item: Item): string {
  const name = item[0] as string;
  if (!FIELD_NAME.test(name)) reject('ERR_COMPONENT_INVALID', 'component names must be lower-case field names');
  const params = paramNames(item);
  // `req` (response signatures) and `tr` (trailers) do not apply to a request's own fields.
  if (params.some((p) => p !== 'sf' && p !== 'key' && p !== 'bs')) reject('ERR_COMPONENT_INVALID', `unsupported parameter on ${name}`);
  if (params.includes('bs') && params.length > 1) reject('ERR_COMPONENT_INVALID', `bs cannot be combined with sf or key on ${name}`);
  for (const flag of ['sf', 'bs'] as const) if (params.includes(flag) && item[1].get(flag) !== true) reject('ERR_COMPONENT_INVALID', `${flag} must be a boolean true`);
  const lines = message.fieldLines(name);
  if (lines.length === 0) reject('ERR_COMPONENT_INVALID', `${name} is not in the message`);
  // RFC 9421 §2.1.3: each line as a byte sequence, so values that combine ambiguously stay apart.
  if (params.includes('bs')) return lines.map((line) => `:${Buffer.from(line.trim(), 'latin1').toString('base64')}:`).join(', ');
  const value = combined(lines);
  return params.length > 0 ? structured(name, value, item[1].get('key')) : value;
}

/** The value of one covered component of a request (RFC 9421 §2.1, §2.2); throws `ERR_COMPONENT_INVALID`. */
export function componentValue(message: HttpMessage, item: Item): string {
  const name = item[0];
  if (typeof name !== 'string' || name === '') reject('ERR_COMPONENT_INVALID', 'component identifiers are strings');
  if (name.startsWith('@')) {
    if (message.status !== undefined) {
      // RFC 9421 §2.2.9: a response covers its own status; request components need `req`, not supported.
      if (name !== '@status' || item[1].size > 0) reject('ERR_COMPONENT_INVALID', `${name} is not a response component`);
      return String(message.status);
    }
    if (!DERIVED.has(name)) reject('ERR_COMPONENT_INVALID', `${name} is not a request component`);
    return derived(message, item);
  }
  return field(message, item);
}
