import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { BastionException } from '../errors/bastion.exception.js';
import { toProblem } from '../errors/problem-details.js';
import type { ErrorCode } from '../errors/error-codes.js';

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
