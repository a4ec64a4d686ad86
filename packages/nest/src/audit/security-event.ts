import type { CredentialType } from '../core/principal.js';

/** Kinds of security event. Stable strings: they are field values in the audit log. */
export type SecurityEventType =
  | 'authentication.succeeded'
  | 'authentication.failed'
  | 'authorization.denied'
  | 'request.throttled'
  | 'client.blocked'
  | 'signature.invalid'
  | 'signature.replayed'
  | 'api-key.invalid'
  | 'api-key.issued'
  | 'api-key.revoked'
  | 'token.revoked'
  | 'alert.raised'
  | 'configuration.warning'
  | 'token.legacy_accepted'
  /** A credential the request carried was not believed and was ignored (e.g. a client-certificate header from an untrusted peer). */
  | 'credential.ignored';

/**
 * Events that record one failed authentication (a presented credential that did not verify): brute-force
 * blocking and the per-IP failure alert count all of them.
 */
export const AUTHENTICATION_FAILURE_EVENTS: readonly SecurityEventType[] = ['authentication.failed', 'signature.invalid', 'signature.replayed', 'api-key.invalid'];

/** Who the event is about. Never the credential itself. */
export interface PrincipalSummary {
  subject?: string;
  clientId?: string;
  credential?: CredentialType;
  /** Key id or token id (`kid`/`jti`), when known; identifiers, not secrets. */
  keyId?: string;
}

/** One security event, as sinks receive it. Field names are part of the audit log schema. */
export interface SecurityEvent {
  type: SecurityEventType;
  /** ISO 8601 time. */
  time: string;
  outcome: 'success' | 'failure' | 'denied' | 'info';
  /** Precise reason code (e.g. `ERR_TOKEN_EXPIRED`); for operators, never sent to clients. */
  reason?: string;
  requestId?: string;
  /** The `X-Request-Id` a client (not a trusted proxy) sent: printable, at most 64 characters, redacted like every field. */
  clientRequestId?: string;
  method?: string;
  /** Request path without query string. */
  route?: string;
  /** Route template as declared (`/orders/:id`), from the route security map; never the raw path. */
  routeTemplate?: string;
  ip?: string;
  principal?: PrincipalSummary;
  /** Identity an unauthenticated caller claimed (e.g. the `sub` of a token that failed verification). */
  claimed?: PrincipalSummary;
  details?: Record<string, unknown>;
}
