/**
 * Attribute values of Bastion's metrics and spans. Every value passes through one of these functions, so
 * only a bounded set of values can ever appear: a value outside its shape becomes `_OTHER` (the
 * OpenTelemetry convention for values outside a known set) rather than an unbounded, possibly
 * attacker-chosen label.
 */

/** Semantic conventions (HTTP, errors) used as they are. */
export const HTTP_ROUTE = 'http.route';
export const HTTP_METHOD = 'http.request.method';
export const ERROR_TYPE = 'error.type';

export const OTHER = '_OTHER';

// OpenTelemetry HTTP semantic conventions: known methods as they are, anything else as _OTHER.
const KNOWN_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE', 'QUERY']);

/** `http.request.method`: a known method, else `_OTHER`. */
export function methodAttribute(method: string | undefined): string {
  return method !== undefined && KNOWN_METHODS.has(method) ? method : OTHER;
}

const REASON = /^[A-Z][A-Z0-9_]{1,63}$/;

/** A reason code (`ERR_TOKEN_EXPIRED`, `ALERT_…`), else `_OTHER`: free text never becomes a label. */
export function reasonAttribute(reason: string | undefined): string {
  return reason !== undefined && REASON.test(reason) ? reason : OTHER;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** A configured name (credential type, boundary, rule), else `_OTHER`. */
export function nameAttribute(value: unknown): string {
  return typeof value === 'string' && NAME.test(value) ? value : OTHER;
}

const ERROR_CODE = /^[A-Z][A-Z0-9_]{1,31}$/;
const ERROR_NAME = /^[A-Za-z][A-Za-z0-9]{1,39}$/;

/**
 * `error.type` of an infrastructure failure: the error's `code` (`ECONNREFUSED`, `ETIMEDOUT`) or its class
 * name (`MaxRetriesPerRequestError`), never its message (which can hold a host or a key).
 */
export function errorType(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown } | null | undefined;
  if (typeof e?.code === 'string' && ERROR_CODE.test(e.code)) return e.code;
  if (typeof e?.name === 'string' && ERROR_NAME.test(e.name)) return e.name;
  return OTHER;
}
