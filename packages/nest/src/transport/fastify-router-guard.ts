import type { IncomingMessage } from 'node:http';
import type { ErrorCode } from '../errors/error-codes.js';

/**
 * What Fastify's router would refuse before any hook runs: a path segment longer than its
 * `maxParamLength` (414) or one with a malformed percent-escape (400). Pure.
 */
export function routerRejection(url: string | undefined, maxParamLength: number): ErrorCode | undefined {
  const target = url ?? '/';
  // No segment can be longer than the whole target, and without `%` nothing can be malformed: most
  // requests end here, without a regular expression or a split.
  if (target.length <= maxParamLength && !target.includes('%')) return undefined;
  const end = target.search(/[?#]/);
  const path = end === -1 ? target : target.slice(0, end);
  for (const segment of path.split('/')) {
    if (segment.length > maxParamLength) return 'ERR_URI_TOO_LONG';
    if (segment.includes('%')) {
      try {
        decodeURIComponent(segment);
      } catch {
        return 'ERR_BAD_REQUEST';
      }
    }
  }
  return undefined;
}

/** A check of a raw request before any framework code: the error to answer with, or `undefined`. */
export type RequestCheck = (req: IncomingMessage) => ErrorCode | undefined;

/**
 * Fastify's router answers an over-long route parameter (`FST_ERR_MAX_PARAM_LENGTH`) or a malformed
 * URL (`FST_ERR_BAD_URL`) itself, before hooks and outside the app's error handler: a Fastify JSON body
 * that repeats the path, without the security headers. This check finds those requests, so that they
 * are answered with the same problem+json as every other error and never reach the router (see
 * `installProtocolChecks`).
 */
export function fastifyRouterCheck(maxParamLength: number): RequestCheck {
  return (req) => routerRejection(req.url, maxParamLength);
}
