import { STATUS_CODES } from 'node:http';
import { BastionException, type BearerChallenge } from './bastion.exception.js';
import { ERROR_CODES, codeForStatus } from './error-codes.js';

/** An RFC 9457 problem document as Bastion sends it. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  code: string;
  requestId: string;
  [extension: string]: unknown;
}

export interface Problem {
  document: ProblemDocument;
  headers: Record<string, string>;
  challenge: BearerChallenge | undefined;
}

/**
 * True for errors whose own status describes the client's request: Nest exceptions (duck-typed, so any
 * copy of `@nestjs/common` counts), `http-errors` marked `expose` (raw-body, body-parser), Fastify's
 * `FST_…` errors and Bastion's framework-free `InputRejected`. Anything else thrown with a `status` (an
 * upstream HTTP client's error for a 401 it got, a driver's error) describes someone else's request:
 * passing its status on would tell the caller about internals, or ask it to re-authenticate for them.
 */
function describesClientRequest(e: { getStatus?: unknown; expose?: unknown; code?: unknown; name?: unknown }): boolean {
  if (typeof e.getStatus === 'function' || e.expose === true) return true;
  if (typeof e.code === 'string' && e.code.startsWith('FST_')) return true;
  return e.name === 'InputRejected';
}

function statusOf(error: unknown): number {
  if (error instanceof BastionException) return error.getStatus();
  if (typeof error === 'object' && error !== null) {
    const e = error as { getStatus?: () => unknown; status?: unknown; statusCode?: unknown; expose?: unknown; code?: unknown; name?: unknown };
    if (!describesClientRequest(e)) return 500;
    const candidate = typeof e.getStatus === 'function' ? e.getStatus() : (e.statusCode ?? e.status);
    // Adapters and body parsers attach a status to their own errors (413, 415, 400…); honour 4xx only.
    // Anything else is an internal failure whatever it claims — except a Nest exception's deliberate 503
    // (a failed readiness check, maintenance): a probe must see "unavailable", not "broken".
    if (typeof candidate === 'number' && Number.isInteger(candidate) && candidate >= 400 && candidate < 600) {
      if (candidate === 503 && typeof e.getStatus === 'function') return 503;
      return candidate >= 500 ? 500 : candidate;
    }
  }
  return 500;
}

/**
 * Maps any thrown value to the problem document and headers to send. Pure and framework-free: the
 * public title comes from the code table or the status phrase, never from the error's message.
 */
export function toProblem(error: unknown, requestId: string, typeBase?: string): Problem {
  const status = statusOf(error);
  const code = error instanceof BastionException ? error.code : codeForStatus(status);
  const title = code in ERROR_CODES ? ERROR_CODES[code as keyof typeof ERROR_CODES].title : (STATUS_CODES[status] ?? 'Error');
  const document: ProblemDocument = {
    // RFC 9457 §4.2.1: "about:blank" means the title is the status phrase; `code` tells problems apart.
    type: typeBase ? `${typeBase.replace(/\/+$/, '')}/${code.toLowerCase()}` : 'about:blank',
    title,
    status,
    code,
    requestId,
  };
  const headers: Record<string, string> = {};
  let challenge: BearerChallenge | undefined;
  if (error instanceof BastionException) {
    if (error.extensions) {
      for (const [key, value] of Object.entries(error.extensions)) {
        if (!(key in document)) document[key] = value;
      }
    }
    Object.assign(headers, error.headers);
    challenge = error.challenge;
  }
  // An exception carrying its own challenge (another scheme, or RFC 9421 §5.1 Accept-Signature) gets no Bearer one.
  const ownChallenge = Object.keys(headers).some((name) => /^(www-authenticate|accept-signature)$/i.test(name));
  if (ownChallenge) challenge = undefined;
  else if (status === 401 && !challenge) challenge = {};
  return { document, headers, challenge };
}

const QUOTE_UNSAFE = /["\\]/g;

/** RFC 6750 §3 challenge: `Bearer realm="…", error="…", scope="…"`. */
export function bearerChallenge(realm: string, challenge: BearerChallenge): string {
  const params = [`realm="${realm.replace(QUOTE_UNSAFE, '')}"`];
  if (challenge.error) params.push(`error="${challenge.error}"`);
  if (challenge.scope) params.push(`scope="${challenge.scope.replace(QUOTE_UNSAFE, '')}"`);
  return `Bearer ${params.join(', ')}`;
}
