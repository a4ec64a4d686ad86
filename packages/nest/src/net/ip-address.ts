import { isIP } from 'node:net';

/** IP family as Node's `net.BlockList` names it. */
export type IpFamily = 'ipv4' | 'ipv6';

/** A parsed, canonical IP address. */
export interface IpAddress {
  /** Canonical text: IPv4-mapped IPv6 (`::ffff:1.2.3.4`) becomes plain IPv4; zone ids are dropped. */
  address: string;
  family: IpFamily;
}

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * Parses one address as it appears in a socket or an `X-Forwarded-For` entry. Accepts bracketed IPv6
 * (`[::1]`, `[::1]:443`) and IPv4 with a port (`1.2.3.4:5678`), which some proxies write. Returns
 * `undefined` for anything that is not an IP address (`unknown`, obfuscated identifiers, garbage),
 * so callers never use attacker-chosen text as a tracker.
 */
export function parseIp(input: string | undefined): IpAddress | undefined {
  if (typeof input !== 'string') return undefined;
  let text = input.trim();
  if (text.length === 0 || text.length > 64) return undefined;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end === -1) return undefined;
    text = text.slice(1, end);
  } else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}$/.test(text)) {
    text = text.slice(0, text.lastIndexOf(':'));
  }
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  const version = isIP(text);
  if (version === 4) return { address: text, family: 'ipv4' };
  if (version !== 6) return undefined;
  const mapped = MAPPED_V4.exec(text);
  if (mapped && isIP(mapped[1]!) === 4) return { address: mapped[1]!, family: 'ipv4' };
  return { address: text.toLowerCase(), family: 'ipv6' };
}
