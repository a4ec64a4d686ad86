import { BastionException } from '../errors/bastion.exception.js';
import { ERROR_CODES, codeForStatus } from '../errors/error-codes.js';
import { QUERY_LIMIT_CODE } from './graphql-limits.js';

/** An entry of a GraphQL response's `errors` (GraphQL spec §7.1.2). */
export interface FormattedGraphqlError {
  message: string;
  locations?: readonly unknown[];
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

/** The error a resolver (or a guard) threw, under the GraphQLError graphql-js wraps it in. */
function originalOf(error: unknown): unknown {
  let current = error;
  for (let i = 0; i < 5 && typeof current === 'object' && current !== null && 'originalError' in current; i++) {
    const next = (current as { originalError?: unknown }).originalError;
    if (next === undefined || next === null) break;
    current = next;
  }
  return current;
}

function isNestHttpException(error: unknown): error is { getStatus(): number } {
  return typeof (error as { getStatus?: unknown })?.getStatus === 'function';
}

/** graphql-js's "Did you mean …?" suggestions name fields and types: schema a client may not see. */
function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean .*\?$/s, '');
}

/**
 * One `errors[]` entry as Bastion sends it: `extensions.code` is Bastion's stable code; the message is
 * its public title. Errors graphql-js raises about the document itself (syntax, validation, limits)
 * keep their message, without field suggestions when introspection is off; anything a resolver threw
 * that is not a Bastion or Nest HTTP exception is masked as `ERR_INTERNAL` — no message, no stack,
 * no `extensions` of the driver's.
 */
export function formatGraphqlError(formatted: FormattedGraphqlError, error: unknown, options: { introspection: boolean }): FormattedGraphqlError {
  const where = { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  const original = originalOf(error);
  if (original instanceof BastionException) return { message: ERROR_CODES[original.code].title, ...where, extensions: { code: original.code } };
  if (isNestHttpException(original)) {
    const status = original.getStatus();
    const code = status >= 500 ? 'ERR_INTERNAL' : codeForStatus(status);
    return { message: code in ERROR_CODES ? ERROR_CODES[code as keyof typeof ERROR_CODES].title : 'Error', ...where, extensions: { code } };
  }
  const fromDocument = original === error || original === undefined || (original as { name?: unknown })?.name === 'GraphQLError';
  if (fromDocument && typeof formatted.message === 'string') {
    // Apollo re-codes validation errors (GRAPHQL_VALIDATION_FAILED); the limit's own code is kept.
    const limit = formatted.extensions?.code === QUERY_LIMIT_CODE || (original as { extensions?: { code?: unknown } })?.extensions?.code === QUERY_LIMIT_CODE;
    const code = limit ? QUERY_LIMIT_CODE : ((formatted.extensions?.code as string | undefined) ?? 'GRAPHQL_VALIDATION_FAILED');
    return { message: options.introspection ? formatted.message : withoutSuggestions(formatted.message), ...where, extensions: { code } };
  }
  return { message: ERROR_CODES.ERR_INTERNAL.title, ...where, extensions: { code: 'ERR_INTERNAL' } };
}

/** True when the client asked for the GraphQL-over-HTTP media type (`application/graphql-response+json`). */
export function wantsGraphqlResponse(accept: string | undefined): boolean {
  return accept !== undefined && /application\/graphql-response\+json/i.test(accept);
}

/**
 * HTTP status of a GraphQL response without `data` (a request error), per GraphQL over HTTP: with
 * `application/graphql-response+json` the error's own status (401 for credentials, 400 for limits and
 * validation, 429…); with `application/json` 200, so any client can read the `errors`.
 */
export function requestErrorStatus(error: unknown, accept: string | undefined): number {
  if (!wantsGraphqlResponse(accept)) return 200;
  const original = originalOf(error);
  if (original instanceof BastionException) return original.getStatus();
  return 400;
}
