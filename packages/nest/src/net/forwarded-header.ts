/** One `forwarded-element` of an RFC 7239 `Forwarded` header: the hop one proxy describes. */
export interface ForwardedElement {
  /** `for=` node as written (`192.0.2.60`, `[2001:db8::17]:4711`, `unknown`, `_hidden`…), unquoted. */
  for?: string;
  /** `proto=` (RFC 7239 §5.4: a URI scheme), lower-cased. */
  proto?: string;
  /** `host=` (RFC 7239 §5.3: the Host request header field the proxy received). */
  host?: string;
  /** `by=` node (the interface the proxy received the request on), unquoted. */
  by?: string;
}

/** An element that does not follow the grammar: it stops the walk over the hops like a malformed address. */
export const MALFORMED: unique symbol = Symbol('malformed forwarded-element');

const TCHAR = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const PARAMETERS = new Set(['for', 'proto', 'host', 'by']);
/** Longest element kept; a proxy writes a few dozen bytes per hop. */
const MAX_ELEMENT = 512;

/** Splits `text` at top-level `separator`s, leaving quoted strings (RFC 9110 §5.6.4) whole. */
function splitOutsideQuotes(text: string, separator: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
    } else if (c === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted) return undefined;
  parts.push(text.slice(start));
  return parts;
}

function unquote(value: string): string | undefined {
  if (!value.startsWith('"')) return TCHAR.test(value) ? value : undefined;
  if (value.length < 2 || !value.endsWith('"')) return undefined;
  // RFC 9110 §5.6.4: quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ).
  return value.slice(1, -1).replace(/\\(.)/g, '$1');
}

function parseElement(text: string): ForwardedElement | typeof MALFORMED {
  if (text.length > MAX_ELEMENT) return MALFORMED;
  const pairs = splitOutsideQuotes(text, ';');
  if (!pairs) return MALFORMED;
  const element: ForwardedElement = {};
  for (const pair of pairs) {
    const trimmed = pair.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) return MALFORMED;
    const name = trimmed.slice(0, eq).toLowerCase();
    const value = unquote(trimmed.slice(eq + 1));
    if (!TCHAR.test(name) || value === undefined) return MALFORMED;
    if (!PARAMETERS.has(name)) continue; // RFC 7239 §5.5: extensions are ignored here.
    // RFC 7239 §4: each parameter MUST NOT occur more than once per forwarded-element.
    if (element[name as keyof ForwardedElement] !== undefined) return MALFORMED;
    element[name as keyof ForwardedElement] = name === 'proto' ? value.toLowerCase() : value;
  }
  return element;
}

/**
 * Parses every `Forwarded` header line (RFC 7239 §4), in order, into one list of hop elements, the
 * left-most (nearest the client) first. Quoted values may hold `,` `;` and escapes; an element that
 * breaks the grammar, or repeats a parameter, is {@link MALFORMED} in place.
 *
 * @example
 * ```ts
 * parseForwarded(['for="_gazonk"', 'For="[2001:db8:cafe::17]:4711"', 'for=192.0.2.60;proto=http;by=203.0.113.43'])
 * // [{ for: '_gazonk' }, { for: '[2001:db8:cafe::17]:4711' }, { for: '192.0.2.60', proto: 'http', by: '203.0.113.43' }]
 * ```
 */
export function parseForwarded(lines: readonly string[]): Array<ForwardedElement | typeof MALFORMED> {
  const elements: Array<ForwardedElement | typeof MALFORMED> = [];
  for (const line of lines) {
    const parts = splitOutsideQuotes(line, ',');
    if (!parts) {
      elements.push(MALFORMED);
      continue;
    }
    for (const part of parts) if (part.trim() !== '') elements.push(parseElement(part));
  }
  return elements;
}
