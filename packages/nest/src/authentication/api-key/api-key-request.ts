import type { RequestContext } from '../../core/request-context.js';
import { ApiKeyRejection } from './api-key-errors.js';

/** Query parameters that would carry an API key; they are refused, never read (URLs end up in logs). */
const QUERY_NAMES = new Set(['api_key', 'apikey', 'api-key', 'x-api-key']);
const KEY_SHAPE = /\bbst_[0-9a-f]{16}_/;
const SCHEME = /^apikey(?: +|$)/i;
// Cheap test before a full parse of the query on every request; any percent-encoding gets the full parse.
const MAYBE_KEY_IN_QUERY = /api[-_]?key|bst_|%/i;

function queryCarriesKey(ctx: RequestContext): boolean {
  const q = ctx.target.indexOf('?');
  if (q === -1) return false;
  const query = ctx.target.slice(q + 1);
  if (!MAYBE_KEY_IN_QUERY.test(query)) return false;
  for (const [name, value] of new URLSearchParams(query)) {
    if (QUERY_NAMES.has(name.toLowerCase()) || KEY_SHAPE.test(value)) return true;
  }
  return false;
}

/** Where an API key can be: `Authorization: ApiKey <key>` lines and lines of the configured header. */
function candidates(ctx: RequestContext, header: string): string[] {
  const fromAuthorization = ctx.headerLines('authorization').filter((v) => SCHEME.test(v)).map((v) => v.replace(SCHEME, ''));
  return [...fromAuthorization, ...ctx.headerLines(header)];
}

/**
 * True when the request carries an API key in any form, even a forbidden one (the query string): the
 * guard then hands it to the API-key authenticator, which refuses it rather than treating the request
 * as anonymous.
 */
export function isApiKeyPresented(ctx: RequestContext, header: string): boolean {
  return candidates(ctx, header).length > 0 || queryCarriesKey(ctx);
}

/**
 * The presented API key, from `Authorization: ApiKey <key>` (scheme case-insensitive) or the configured
 * header. Throws `ApiKeyRejection` (400) for a key in the query string, two keys, or anything but one
 * token after the scheme.
 */
export function presentedApiKey(ctx: RequestContext, header: string): string {
  if (queryCarriesKey(ctx)) throw new ApiKeyRejection('ERR_API_KEY_IN_QUERY');
  const found = candidates(ctx, header);
  if (found.length > 1) throw new ApiKeyRejection('ERR_API_KEY_REPEATED');
  const key = found[0]?.trim();
  if (!key || /\s/.test(key)) throw new ApiKeyRejection('ERR_API_KEY_SYNTAX');
  return key;
}
