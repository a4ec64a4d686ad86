/** One relative distinguished name: its attribute type/value pairs (several for a multi-valued RDN). */
export type Rdn = ReadonlyArray<readonly [type: string, value: string]>;
/** A distinguished name, most specific RDN first (RFC 4514 order). */
export type DistinguishedName = readonly Rdn[];

/** Short names for the attribute types certificates use (RFC 4519, RFC 4514 §3), keyed by OID and alias. */
const TYPE_NAMES: Record<string, string> = {
  '2.5.4.3': 'cn', '2.5.4.5': 'serialnumber', '2.5.4.6': 'c', '2.5.4.7': 'l', '2.5.4.8': 'st', '2.5.4.9': 'street',
  '2.5.4.10': 'o', '2.5.4.11': 'ou', '0.9.2342.19200300.100.1.1': 'uid', '0.9.2342.19200300.100.1.25': 'dc',
  '1.2.840.113549.1.9.1': 'emailaddress', e: 'emailaddress', email: 'emailaddress',
};

function typeName(type: string): string {
  const lower = type.trim().toLowerCase().replace(/^oid\./, '');
  return TYPE_NAMES[lower] ?? lower;
}

/** Splits at unescaped `separator`s (a backslash escapes the next character). */
function splitUnescaped(text: string, separator: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      if (i + 1 >= text.length) return undefined;
      i++;
    } else if (text[i] === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** RFC 4514 §2.4 / RFC 2253 value escapes: `\` + special character, or `\` + two hex digits (UTF-8 bytes). */
function unescapeValue(raw: string): string | undefined {
  // Surrounding spaces are insignificant unless escaped (`\ `): keep a space that a backslash precedes.
  let value = raw.replace(/^ +/, '');
  let end = value.length;
  while (end > 0 && value[end - 1] === ' ' && !/(^|[^\\])(\\\\)*\\$/.test(value.slice(0, end - 1))) end--;
  value = value.slice(0, end);
  // `#` introduces a BER-encoded value, which is not compared here.
  if (value.startsWith('#')) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const hex = value.slice(i + 1, i + 3);
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (i + 1 < value.length) {
      bytes.push(...Buffer.from(value[i + 1]!, 'utf8'));
      i += 1;
    } else {
      return undefined;
    }
  }
  const decoded = Buffer.from(bytes);
  return new TextDecoder('utf-8', { fatal: true }).decode(decoded);
}

function parseRdns(parts: readonly string[], attributeSeparator: string): DistinguishedName | undefined {
  const dn: Rdn[] = [];
  for (const part of parts) {
    const attributes = splitUnescaped(part, attributeSeparator);
    if (!attributes) return undefined;
    const rdn: (readonly [string, string])[] = [];
    for (const attribute of attributes) {
      const eq = attribute.indexOf('=');
      if (eq <= 0) return undefined;
      let value: string | undefined;
      try {
        value = unescapeValue(attribute.slice(eq + 1));
      } catch {
        return undefined;
      }
      if (value === undefined) return undefined;
      rdn.push([typeName(attribute.slice(0, eq)), value]);
    }
    dn.push(rdn);
  }
  return dn;
}

/** Parses an RFC 4514 string (`CN=svc,O=Acme\, Inc,C=US`); undefined when it is not one. */
export function parseDistinguishedName(text: string): DistinguishedName | undefined {
  if (text.trim() === '') return [];
  const parts = splitUnescaped(text, ',');
  return parts && parseRdns(parts, '+');
}

/**
 * Parses Node's `X509Certificate.subject` (one RDN per line, most significant first, multi-valued RDNs
 * joined by ` + `, values escaped as in RFC 2253) into RFC 4514 order.
 */
export function certificateSubject(subject: string): DistinguishedName | undefined {
  if (subject === '') return [];
  const dn = parseRdns(subject.split('\n'), '+');
  return dn && [...dn].reverse();
}

function rdnKey(rdn: Rdn): string {
  return rdn
    .map(([type, value]) => JSON.stringify([type, value]))
    .sort()
    .join('+');
}

/** Same RDNs in the same order, attribute types case-insensitively, values exactly (a multi-valued RDN in any order). */
export function sameDistinguishedName(a: DistinguishedName, b: DistinguishedName): boolean {
  return a.length === b.length && a.every((rdn, i) => rdnKey(rdn) === rdnKey(b[i]!));
}

/** RFC 4514 text of a DN (for audit events and principal claims). */
export function formatDistinguishedName(dn: DistinguishedName): string {
  const escape = (v: string) => v.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`).replace(/^[ #]|[ ]$/g, (c) => `\\${c}`);
  return dn.map((rdn) => rdn.map(([type, value]) => `${type.toUpperCase()}=${escape(value)}`).join('+')).join(',');
}
