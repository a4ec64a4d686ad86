import { InputRejected } from './input-rejected.js';
import type { RawRequest } from './raw-http.js';

/**
 * Reads a request body into one Buffer, never more than `limit` bytes: a `Content-Length` over the
 * limit is refused before reading, a chunked body as soon as it passes it (RFC 9110 §15.5.14: 413).
 */
export function readBody(req: RawRequest, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new InputRejected('ERR_PAYLOAD_TOO_LARGE', `content-length ${declared} over ${limit}`));
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        cleanup();
        // Keep draining so the 413 can be written, but without buffering any of it.
        req.resume();
        reject(new InputRejected('ERR_PAYLOAD_TOO_LARGE', `body over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, received));
    };
    const onError = () => {
      cleanup();
      reject(new InputRejected('ERR_BAD_REQUEST', 'body stream aborted'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}
