import { hash } from 'node:crypto';

/**
 * SHA-256 of `data`, base64url. One call without a `Hash` object (`crypto.hash`, Node ≥ 20.12): the
 * throttle key, the principal tracker and the verified-token cache key are hashed on every request.
 */
export function sha256(data: string): string {
  return hash('sha256', data, 'base64url');
}
