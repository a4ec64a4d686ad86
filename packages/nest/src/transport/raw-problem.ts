import { randomUUID } from 'node:crypto';
import { BastionException } from '../errors/bastion.exception.js';
import type { ErrorCode } from '../errors/error-codes.js';
import { toProblem } from '../errors/problem-details.js';
import type { RawResponse } from './raw-http.js';

/**
 * Writes a problem+json answer straight to a Node response, with the security headers, for the few
 * places that answer before any framework (and so the exception filter) can: the request deadline
 * and the Fastify router guard. The connection is closed: the rest of the request is never read.
 */
export function writeRawProblem(res: RawResponse, code: ErrorCode, headers: ReadonlyArray<[string, string]>, requestId: string = randomUUID()): void {
  const { document } = toProblem(new BastionException(code), requestId);
  for (const [name, value] of headers) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/problem+json; charset=utf-8');
  res.setHeader('X-Request-Id', document.requestId);
  res.setHeader('Connection', 'close');
  res.statusCode = document.status;
  res.end(JSON.stringify(document));
}
