import type { ServerResponse } from 'node:http';
import type { NodeRequest } from '../contexts/http/http-request-context.js';

/** The raw Node request as both adapters expose it to middleware (Fastify via middie, Express natively). */
export type RawRequest = NodeRequest;
export type RawResponse = ServerResponse;

/** Bytes of the request header section as received (name, value, `: ` and CRLF per line). */
export function headerBytesOf(req: RawRequest): number {
  let total = 0;
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) total += req.rawHeaders[i]!.length + req.rawHeaders[i + 1]!.length + 4;
  return total;
}

/** True when the request announces a body (RFC 9112 §6.3: Content-Length > 0 or Transfer-Encoding). */
export function hasBody(req: RawRequest): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}
