import { createHash } from 'node:crypto';

/**
 * Security-state key of a proof's `jti`, per proof key: one client cannot spend another's `jti`, and only
 * a hash is kept, whatever the `jti`'s size (RFC 9449 §11.1). Recorded with `rememberOnce`.
 */
export function proofReplayKey(jkt: string, jti: string): string {
  return `dpop:jti:${createHash('sha256').update(`${jkt}\n${jti}`).digest('base64url')}`;
}
