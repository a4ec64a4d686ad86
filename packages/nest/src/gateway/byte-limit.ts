import { Transform, type TransformCallback } from 'node:stream';

/** Thrown by a {@link byteLimit} stream when more than its limit passed. */
export class ByteLimitExceeded extends Error {
  readonly code = 'ERR_BYTE_LIMIT';
  constructor(readonly limit: number) {
    super(`more than ${limit} bytes`);
    this.name = 'ByteLimitExceeded';
  }
}

/** A pass-through stream that fails with {@link ByteLimitExceeded} once more than `limit` bytes went through. */
export function byteLimit(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > limit) callback(new ByteLimitExceeded(limit));
      else callback(null, chunk);
    },
  });
}
