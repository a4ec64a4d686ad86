import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { ErrorCode } from '../errors/error-codes.js';
import { writeRawProblem } from './raw-problem.js';

/**
 * What Fastify's router would refuse before any hook runs: a path segment longer than its
 * `maxParamLength` (414) or one with a malformed percent-escape (400). Pure.
 */
export function routerRejection(url: string | undefined, maxParamLength: number): ErrorCode | undefined {
  const target = url ?? '/';
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

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Fastify's router answers an over-long route parameter (`FST_ERR_MAX_PARAM_LENGTH`) or a malformed
 * URL (`FST_ERR_BAD_URL`) itself, before hooks and outside the app's error handler: a Fastify JSON body
 * that repeats the path, without the security headers. Those requests are answered here instead, with
 * the same problem+json as every other error, and never reach the router.
 */
export function guardFastifyRouter(server: Server, maxParamLength: number, headers: ReadonlyArray<[string, string]>): void {
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const code = routerRejection(req.url, maxParamLength);
    if (code) {
      writeRawProblem(res, code, headers);
      return;
    }
    for (const listener of listeners) listener.call(server, req, res);
  });
}
