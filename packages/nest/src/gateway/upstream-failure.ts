import { BastionException } from '../errors/bastion.exception.js';

/** How an upstream call failed, from the error undici or the socket raised. */
export type UpstreamFailure = 'unreachable' | 'timeout' | 'other';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED']);
const TIMEOUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Classifies an error of an upstream call (a `cause` chain is followed: fetch-style wrappers). */
export function classifyUpstreamError(error: unknown): UpstreamFailure {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (TIMEOUT.has(code)) return 'timeout';
      if (UNREACHABLE.has(code)) return 'unreachable';
    }
    current = (current as { cause?: unknown }).cause;
  }
  return 'other';
}

/** The problem the caller gets: 504 for a timeout, 502 otherwise; the cause goes to the audit log only. */
export function upstreamException(failure: UpstreamFailure, upstream: string, cause: unknown): BastionException {
  const code = failure === 'timeout' ? 'ERR_GATEWAY_TIMEOUT' : failure === 'unreachable' ? 'ERR_UPSTREAM_UNREACHABLE' : 'ERR_BAD_GATEWAY';
  const reason = (cause as { code?: unknown } | undefined)?.code;
  return new BastionException(code, { reason: typeof reason === 'string' ? reason : failure, details: { upstream } });
}
