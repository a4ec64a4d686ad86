import type { ClientAddress } from '../net/forwarded.js';

/** Outcome of the HTTPS check for one request. */
export type HttpsDecision = 'allow' | 'redirect' | 'reject';

export interface HttpsPolicy {
  enforce: boolean;
  redirectTo: string | undefined;
  allowLocal: boolean;
}

/**
 * HTTPS enforcement. The protocol is the socket's, or what a trusted proxy reports in
 * `X-Forwarded-Proto` (a client-written one is never believed: see `net/forwarded.ts`). Plain HTTP is
 * allowed only from a trusted loopback peer that sent no forwarding header at all — traffic that never
 * crossed a network. Otherwise `GET`/`HEAD` may be redirected (308 keeps the method, RFC 9110 §15.4.9),
 * everything else is rejected: redirecting a `POST` would already have sent its body in clear.
 */
export function httpsDecision(client: ClientAddress, method: string, forwarded: boolean, policy: HttpsPolicy): HttpsDecision {
  if (!policy.enforce || client.protocol === 'https') return 'allow';
  const loopback = client.peer === '::1' || client.peer.startsWith('127.');
  if (policy.allowLocal && loopback && client.viaTrustedProxy && !forwarded) return 'allow';
  if (policy.redirectTo && (method === 'GET' || method === 'HEAD')) return 'redirect';
  return 'reject';
}
