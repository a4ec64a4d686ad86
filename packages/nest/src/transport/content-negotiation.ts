import { InputRejected } from './input-rejected.js';
import { parseMediaType, type MediaType } from './media-type.js';

/**
 * Checks a request body's `Content-Type` against the allow-list (RFC 9110 §15.5.16: 415) and its
 * `Content-Encoding` (only identity: a compressed body would be inflated past the size limit, the
 * "zip bomb"). Returns the parsed media type.
 */
export function assertContentType(contentType: string | undefined, contentEncoding: string | undefined, allowed: readonly string[]): MediaType {
  if (contentEncoding !== undefined && contentEncoding.trim().toLowerCase() !== 'identity') {
    throw new InputRejected('ERR_UNSUPPORTED_MEDIA_TYPE', 'content-encoding not supported');
  }
  const type = parseMediaType(contentType);
  if (!type || !allowed.includes(type.essence)) throw new InputRejected('ERR_UNSUPPORTED_MEDIA_TYPE', 'content-type not allowed');
  const charset = type.parameters['charset']?.toLowerCase();
  // RFC 8259 §8.1: JSON exchanged between systems MUST be UTF-8; other text is decoded as UTF-8 too.
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new InputRejected('ERR_UNSUPPORTED_MEDIA_TYPE', 'charset not supported');
  }
  return type;
}

interface Range {
  type: string;
  subtype: string;
  q: number;
}

function parseAccept(header: string): Range[] {
  const ranges: Range[] = [];
  for (const part of header.split(',')) {
    const [range, ...params] = part.split(';');
    const [type, subtype] = range!.trim().toLowerCase().split('/');
    if (!type || !subtype) continue;
    let q = 1;
    for (const p of params) {
      const [name, value] = p.split('=').map((s) => s.trim().toLowerCase());
      if (name === 'q') q = Number(value);
    }
    ranges.push({ type, subtype, q: Number.isFinite(q) ? q : 0 });
  }
  return ranges;
}

/**
 * True when an `Accept` header admits a JSON response (`application/json`, `application/problem+json`,
 * `application/*` or `*\/*` with q > 0). No header, or one with no parsable range, accepts anything
 * (RFC 9110 §12.5.1).
 */
export function acceptsJson(accept: string | undefined, produced: readonly string[] = ['application/json', 'application/problem+json']): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return true;
  return produced.some((media) => {
    const [type, subtype] = media.split('/');
    // The most specific matching range decides (RFC 9110 §12.5.1).
    const matches = ranges.filter((r) => (r.type === '*' || r.type === type) && (r.subtype === '*' || r.subtype === subtype));
    if (matches.length === 0) return false;
    const specificity = (r: Range) => (r.type === '*' ? 0 : r.subtype === '*' ? 1 : 2);
    const best = matches.reduce((a, b) => (specificity(b) > specificity(a) ? b : a));
    return best.q > 0;
  });
}

/**
 * True when an `Accept` header names GraphQL over HTTP's JSON type (`application/graphql-response+json`)
 * with q > 0: GraphQL endpoints answer with it, so a client asking only for it is served.
 */
export function acceptsGraphqlResponse(accept: string | undefined): boolean {
  return accept !== undefined && parseAccept(accept).some((r) => r.type === 'application' && r.subtype === 'graphql-response+json' && r.q > 0);
}
