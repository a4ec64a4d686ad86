import { parseIp } from '../../net/ip-address.js';

/**
 * One text per address: IPv4 as is, IPv6 compressed in lower case (RFC 5952), so `0:0:0:0:0:0:0:1` as
 * OpenSSL prints it equals a configured `::1`.
 */
export function canonicalIp(value: string): string | undefined {
  const ip = parseIp(value);
  if (!ip) return undefined;
  return ip.family === 'ipv4' ? ip.address : new URL(`http://[${ip.address}]`).hostname.slice(1, -1);
}

/** The subject alternative names RFC 8705 §2.1.2 matches on. */
export interface SubjectAltNames {
  readonly dns: readonly string[];
  readonly uri: readonly string[];
  readonly email: readonly string[];
  /** Canonical addresses (see {@link canonicalIp}). */
  readonly ip: readonly string[];
}

/**
 * Parses Node's `X509Certificate.subjectAltName` (`DNS:a.example, URI:spiffe://x, email:a@b, IP Address:10.0.0.1`).
 * Node writes a value holding a separator or a quote as a JSON string (CVE-2021-44532), so a name can never
 * pose as two; such values are decoded. Returns undefined for text it cannot parse.
 */
export function parseSubjectAltNames(text: string | undefined): SubjectAltNames | undefined {
  const out = { dns: [] as string[], uri: [] as string[], email: [] as string[], ip: [] as string[] };
  if (text === undefined || text === '') return out;
  let i = 0;
  while (i < text.length) {
    const colon = text.indexOf(':', i);
    if (colon === -1) return undefined;
    const type = text.slice(i, colon);
    let value: string;
    let next: number;
    if (text[colon + 1] === '"') {
      let end = colon + 2;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (end >= text.length) return undefined;
      try {
        value = JSON.parse(text.slice(colon + 1, end + 1)) as string;
      } catch {
        return undefined;
      }
      next = end + 1;
    } else {
      const comma = text.indexOf(', ', colon + 1);
      next = comma === -1 ? text.length : comma;
      value = text.slice(colon + 1, next);
    }
    if (type === 'DNS') out.dns.push(value);
    else if (type === 'URI') out.uri.push(value);
    else if (type === 'email') out.email.push(value);
    else if (type === 'IP Address') {
      const ip = canonicalIp(value);
      if (ip) out.ip.push(ip);
    }
    if (next < text.length) {
      if (text.slice(next, next + 2) !== ', ') return undefined;
      next += 2;
    }
    i = next;
  }
  return out;
}

/** RFC 5321 §2.4: the local part is case-sensitive, the domain is not. */
export function sameEmail(a: string, b: string): boolean {
  const at = (s: string) => s.lastIndexOf('@');
  const [ia, ib] = [at(a), at(b)];
  if (ia === -1 || ib === -1) return a === b;
  return a.slice(0, ia) === b.slice(0, ib) && a.slice(ia + 1).toLowerCase() === b.slice(ib + 1).toLowerCase();
}
