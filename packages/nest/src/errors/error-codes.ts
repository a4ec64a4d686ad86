/**
 * Public error codes: the only map from a stable `code` to its HTTP status and public title.
 * Internal reasons (why a token was rejected, …) never appear here; they go to the audit log.
 * Areas add their codes to this one table so the filter stays the single owner of the mapping.
 */
export const ERROR_CODES = {
  ERR_BAD_REQUEST: { status: 400, title: 'Bad Request' },
  ERR_INVALID_REQUEST: { status: 400, title: 'Bad Request' },
  ERR_VALIDATION: { status: 400, title: 'Bad Request' },
  ERR_UNAUTHENTICATED: { status: 401, title: 'Unauthorized' },
  ERR_INVALID_TOKEN: { status: 401, title: 'Unauthorized' },
  // RFC 9449 §9: the DPoP proof must carry the nonce sent in `DPoP-Nonce` (a protocol step, not a failure).
  ERR_DPOP_NONCE_REQUIRED: { status: 401, title: 'Unauthorized' },
  ERR_FORBIDDEN: { status: 403, title: 'Forbidden' },
  ERR_SCOPE_MISSING: { status: 403, title: 'Forbidden' },
  ERR_ROLE_MISSING: { status: 403, title: 'Forbidden' },
  ERR_POLICY_DENIED: { status: 403, title: 'Forbidden' },
  ERR_BOUNDARY_DENIED: { status: 403, title: 'Forbidden' },
  ERR_HTTPS_REQUIRED: { status: 403, title: 'Forbidden' },
  ERR_CONTEXT_UNSUPPORTED: { status: 403, title: 'Forbidden' },
  ERR_NOT_FOUND: { status: 404, title: 'Not Found' },
  ERR_METHOD_NOT_ALLOWED: { status: 405, title: 'Method Not Allowed' },
  ERR_NOT_ACCEPTABLE: { status: 406, title: 'Not Acceptable' },
  ERR_REQUEST_TIMEOUT: { status: 408, title: 'Request Timeout' },
  ERR_CONFLICT: { status: 409, title: 'Conflict' },
  ERR_PAYLOAD_TOO_LARGE: { status: 413, title: 'Content Too Large' },
  ERR_URI_TOO_LONG: { status: 414, title: 'URI Too Long' },
  ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported Media Type' },
  ERR_EXPECTATION_FAILED: { status: 417, title: 'Expectation Failed' },
  ERR_UNPROCESSABLE: { status: 422, title: 'Unprocessable Content' },
  ERR_RATE_LIMITED: { status: 429, title: 'Too Many Requests' },
  ERR_CLIENT_BLOCKED: { status: 429, title: 'Too Many Requests' },
  ERR_HEADERS_TOO_LARGE: { status: 431, title: 'Request Header Fields Too Large' },
  ERR_INTERNAL: { status: 500, title: 'Internal Server Error' },
  ERR_BAD_GATEWAY: { status: 502, title: 'Bad Gateway' },
  ERR_UPSTREAM_UNREACHABLE: { status: 502, title: 'Bad Gateway' },
  ERR_UPSTREAM_RESPONSE_TOO_LARGE: { status: 502, title: 'Bad Gateway' },
  ERR_SERVICE_UNAVAILABLE: { status: 503, title: 'Service Unavailable' },
  ERR_UPSTREAM_UNAVAILABLE: { status: 503, title: 'Service Unavailable' },
  ERR_UPSTREAM_BUSY: { status: 503, title: 'Service Unavailable' },
  ERR_GATEWAY_TIMEOUT: { status: 504, title: 'Gateway Timeout' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Code used for a bare HTTP status that carries no Bastion code (Nest's own exceptions, adapters). */
export function codeForStatus(status: number): ErrorCode | `ERR_HTTP_${number}` {
  for (const [code, entry] of Object.entries(ERROR_CODES)) {
    // The first entry per status is its generic code.
    if (entry.status === status) return code as ErrorCode;
  }
  return `ERR_HTTP_${status}`;
}
