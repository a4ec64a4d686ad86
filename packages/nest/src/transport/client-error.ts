import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { BastionException } from '../errors/bastion.exception.js';
import { toProblem } from '../errors/problem-details.js';
import type { ErrorCode } from '../errors/error-codes.js';
import type { RequestCheck } from './fastify-router-guard.js';
import { writeRawProblem } from './raw-problem.js';

function codeOf(error: NodeJS.ErrnoException): ErrorCode {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'ERR_HEADERS_TOO_LARGE';
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'ERR_HTTP_HEADERS_TIMEOUT') return 'ERR_REQUEST_TIMEOUT';
  return 'ERR_BAD_REQUEST';
}

/**
 * Answers requests Node's HTTP parser rejects before any framework sees them (oversized headers → 431,
 * malformed request line or headers → 400, header/request timeout → 408) with the same problem+json and
 * security headers as every other error, instead of Node's bare status line or Fastify's own body.
 */
export function installClientErrorHandler(server: Server, headers: ReadonlyArray<[string, string]>): void {
  server.removeAllListeners('clientError');
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { document } = toProblem(new BastionException(codeOf(error)), randomUUID());
    const body = JSON.stringify(document);
    const lines = [
      `HTTP/1.1 ${document.status} ${document.title}`,
      'Content-Type: application/problem+json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `X-Request-Id: ${document.requestId}`,
      'Connection: close',
      ...headers.map(([name, value]) => `${name}: ${value}`),
    ];
    socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
  });
}

/**
 * The two answers Node writes itself for well-formed requests, as problem+json with the security headers:
 * an `Expect` other than `100-continue` (RFC 9110 §10.1.1: 417) and an HTTP/1.1 request without `Host`
 * (RFC 9112 §3.2: 400). Node's own check is turned off so that the request reaches this one. `check`
 * (the adapter's own, e.g. what Fastify's router would refuse) runs in the same one wrapper around the
 * server's request listeners.
 */
export function installProtocolChecks(server: Server, headers: ReadonlyArray<[string, string]>, check?: RequestCheck): void {
  server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => writeRawProblem(res, 'ERR_EXPECTATION_FAILED', headers));
  // A `createServer()` option (Node ≥ 20) read per request; @types/node does not declare the property.
  (server as Server & { requireHostHeader?: boolean }).requireHostHeader = false;
  const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const code = req.httpVersion === '1.1' && req.headers.host === undefined ? 'ERR_BAD_REQUEST' : check?.(req);
    if (code) {
      writeRawProblem(res, code, headers);
      return;
    }
    for (const listener of listeners) listener.call(server, req, res);
  });
}
