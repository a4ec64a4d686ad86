import type { RequestContext } from '../core/request-context.js';
import { InvalidRequestException } from '../errors/bastion.exception.js';

/** RFC 6750 §2.1 `b64token` (RFC 7235 token68): the only token syntax accepted after `Bearer`. */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

const WHITESPACE = /\s/;

/** True when the scheme (up to the first whitespace) is `Bearer`, in any case. */
function isBearer(value: string): boolean {
  return value.length >= 6 && value.slice(0, 6).toLowerCase() === 'bearer' && (value.length === 6 || WHITESPACE.test(value[6]!));
}

// `access_token` as a query parameter name, also percent-encoded: a cheap test before a full parse.
const ACCESS_TOKEN_IN_QUERY = /access(?:_|%5f)token/i;

function queryHasAccessToken(ctx: RequestContext): boolean {
  const q = ctx.target.indexOf('?');
  if (q === -1) return false;
  const query = ctx.target.slice(q + 1);
  return ACCESS_TOKEN_IN_QUERY.test(query) && new URLSearchParams(query).has('access_token');
}

function formBodyHasAccessToken(ctx: RequestContext): boolean {
  const body = ctx.body;
  if (typeof body !== 'object' || body === null || !Object.hasOwn(body, 'access_token')) return false;
  return (ctx.header('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/**
 * True when the request carries a bearer token in any form RFC 6750 knows (header, query, form body),
 * even a malformed or forbidden one: the guard then hands it to the JWT authenticator, which refuses
 * what is not allowed instead of treating the request as anonymous.
 */
export function isBearerPresented(ctx: RequestContext): boolean {
  return ctx.headerLines('authorization').some(isBearer) || queryHasAccessToken(ctx) || formBodyHasAccessToken(ctx);
}

/**
 * The bearer token of a request, from the `Authorization: Bearer <token68>` header only (RFC 6750 §2.1,
 * scheme case-insensitive). `undefined` when no bearer header is present. Throws
 * `InvalidRequestException` (400 `invalid_request`, RFC 6750 §3.1) when the token is sent in the query
 * string or a form body (§2.2, §2.3: never accepted, since URLs and bodies end up in logs), when there are
 * several `Authorization` headers or several tokens, or when anything but one token68 follows the scheme.
 */
export function extractBearerToken(ctx: RequestContext): string | undefined {
  const candidate = bearerCandidate(ctx);
  if (candidate !== undefined) assertToken68(candidate);
  return candidate;
}

/**
 * `extractBearerToken` without its last check: what follows `Bearer` in the one `Authorization` header,
 * not yet known to be one token68 (`assertToken68`). The same refusals otherwise.
 */
export function bearerCandidate(ctx: RequestContext): string | undefined {
  if (queryHasAccessToken(ctx)) throw new InvalidRequestException('ERR_TOKEN_IN_QUERY');
  if (formBodyHasAccessToken(ctx)) throw new InvalidRequestException('ERR_TOKEN_IN_BODY');
  const values = ctx.headerLines('authorization');
  if (values.length > 1) throw new InvalidRequestException('ERR_AUTHORIZATION_REPEATED');
  const value = values[0];
  if (value === undefined || !isBearer(value)) return undefined;
  // RFC 7235 §2.1: the scheme is followed by one or more SP; any other whitespace stays, and is malformed.
  let start = 6;
  while (value.charCodeAt(start) === 0x20) start++;
  return value.slice(start);
}

/** Refuses (400 `invalid_request`) anything after `Bearer` but one token68 (RFC 6750 §2.1). */
export function assertToken68(candidate: string): void {
  if (!TOKEN68.test(candidate)) throw new InvalidRequestException(candidate === '' ? 'ERR_BEARER_EMPTY' : 'ERR_BEARER_MALFORMED');
}
