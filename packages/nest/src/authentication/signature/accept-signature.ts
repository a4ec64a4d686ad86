import type { SignatureConfig } from './signature-config.js';
import { parseItem, serializeDictionary, type Dictionary, type Item, type Parameters } from './structured-fields.js';

/**
 * RFC 9421 §5.1: the `Accept-Signature` value that asks for a signature this configuration accepts —
 * the first set of required components (plus `content-digest` when the request has a body, §7.2.8),
 * `created`, `nonce` when nonces are required, and the configured `tag`. Sent with a 401 on routes that
 * accept signed requests; the label is the configured one (default `sig1`).
 */
export function acceptSignature(config: SignatureConfig, hasBody: boolean): string {
  const ids = [...config.required[0]!];
  if (hasBody && !ids.includes('"content-digest"')) ids.push('"content-digest"');
  const params: Parameters = new Map([['created', true]]);
  if (config.requireNonce) params.set('nonce', true);
  if (config.tag !== undefined && /^[\x20-\x7e]*$/.test(config.tag)) params.set('tag', config.tag);
  // A label that is no RFC 8941 key could never name a Signature-Input member.
  const label = config.label !== undefined && /^[a-z*][a-z0-9_\-.*]*$/.test(config.label) ? config.label : 'sig1';
  const dictionary: Dictionary = new Map([[label, [ids.map((id) => parseItem(id) as Item), params]]]);
  return serializeDictionary(dictionary);
}
