import { Inject, Injectable } from '@nestjs/common';
import { requestEventFields } from '../audit/request-event.js';
import { SecurityEvents } from '../audit/security-events.service.js';
import type { AuthenticationGuard } from '../authentication/authentication.guard.js';
import { AUTHENTICATION_GUARD } from '../authentication/authentication-guard.token.js';
import { effectiveBoundary } from '../authorization/boundaries.js';
import { RouteSecurityMap } from '../authorization/route-security-map.service.js';
import { syntheticRoute } from '../authorization/synthetic-route.js';
import { httpContextOf } from '../contexts/http/http-context.js';
import { SessionContext } from '../contexts/session-context.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import type { Transport } from '../core/request-context.js';
import { BastionException } from '../errors/bastion.exception.js';
import type { ClientAddress } from '../net/forwarded.js';
import { originMatches } from '../transport/cors-policy.js';
import { SocketSessions, type SessionEnd } from './socket-sessions.service.js';

const NO_CLIENT: ClientAddress = { ip: 'unknown', peer: 'unknown', protocol: 'http', host: undefined, viaTrustedProxy: false, forwardingHeaders: false };

/** What a connection is opened with. */
export interface ConnectionInit {
  readonly transport: Extract<Transport, 'ws' | 'graphql'>;
  /** The HTTP upgrade (or socket.io handshake) request: client address, TLS, `Origin`. */
  readonly request: object | undefined;
  /** Credential lines, lower-case names (only from the places the transport allows). */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  /** Check `Origin` against the allow-list (WebSocket gateways: browsers send cookies with the upgrade). */
  readonly checkOrigin: boolean;
}

/** How `graphql-ws` and WebSocket close codes map Bastion's refusals (RFC 6455 §7.4.2: 4000–4999 are the application's). */
export function closeCodeOf(error: unknown): number {
  const status = error instanceof BastionException ? error.getStatus() : 500;
  if (status === 401) return 4401;
  if (status === 403 || status === 404) return 4403;
  if (status === 400) return 4400;
  if (status === 429) return 4429;
  return 4500;
}

/** Close code of a connection Bastion ends: 4401 when its credential expired, 4403 when it was revoked. */
export function closeCodeOfEnd(end: SessionEnd): { code: number; reason: string } {
  return end === 'expired' ? { code: 4401, reason: 'Unauthorized' } : { code: 4403, reason: 'Forbidden' };
}

/**
 * Authenticates a long-lived connection once, when it opens: a WebSocket gateway's handshake, a
 * GraphQL subscription connection (`connectionParams`). The credential is verified as on any route
 * (same authenticators, boundary, revocation and lifetime checks, brute-force counting, one audit
 * event per refusal); an anonymous connection is accepted only where some handler behind it is
 * `@Public()`. The session then carries the principal that every message or subscription reads.
 */
@Injectable()
export class ConnectionAuthenticator {
  constructor(
    @Inject(BASTION_CONFIG) private readonly config: BastionConfig,
    @Inject(AUTHENTICATION_GUARD) private readonly guard: AuthenticationGuard,
    private readonly routes: RouteSecurityMap,
    private readonly sessions: SocketSessions,
    private readonly events: SecurityEvents,
  ) {}

  /** Opens and authenticates a connection: its session, or the refusal (already in the audit log). */
  async open(init: ConnectionInit): Promise<{ session: SessionContext } | { error: BastionException }> {
    const http = init.request ? httpContextOf(init.request, this.config) : undefined;
    const session = new SessionContext({
      transport: init.transport,
      method: 'CONNECT',
      path: http?.path ?? '/',
      client: http?.client ?? NO_CLIENT,
      headers: init.headers,
      request: init.request,
      tls: http?.tls,
    });
    try {
      if (init.checkOrigin) this.checkOrigin(session, http?.header('origin'));
      const anonymous = this.anonymousAllowed(init.transport);
      await this.guard.authenticate(session, syntheticRoute(`${init.transport} connection`, anonymous, effectiveBoundary(this.config, undefined)));
      return { session };
    } catch (error) {
      return { error: error instanceof BastionException ? error : new BastionException('ERR_INVALID_TOKEN', { reason: 'ERR_AUTHENTICATOR_FAILED', cause: error }) };
    }
  }

  /** Watches an open connection's credential (expiry, revocation); returns the function to call when it closes. */
  watch(session: SessionContext, close: (code: number, reason: string) => void): () => void {
    return this.sessions.track(session, (end) => {
      const { code, reason } = closeCodeOfEnd(end);
      close(code, reason);
    });
  }

  /**
   * Anonymous connections are accepted only when a handler behind them is public (a `@Public()`
   * `@SubscribeMessage` handler; a `@Public()` subscription): otherwise an anonymous socket could do
   * nothing but hold a connection open.
   */
  anonymousAllowed(transport: 'ws' | 'graphql'): boolean {
    return this.routes.routes().some((r) => r.transport === transport && r.public && (transport === 'ws' || r.method === 'SUBSCRIPTION'));
  }

  /**
   * Cross-site WebSocket hijacking: browsers send cookies with an upgrade from any page, and WebSockets
   * have no CORS. A handshake whose `Origin` is neither the API's own origin (scheme and authority as the
   * socket or a trusted proxy vouches for them) nor in `websockets.origins` (default `cors.origins`
   * without `'*'`) is refused; clients that send no `Origin` (not browsers) are not concerned.
   */
  private checkOrigin(session: SessionContext, origin: string | undefined): void {
    if (origin === undefined) return;
    const value = origin.toLowerCase();
    const own = ownOrigin(session);
    if (value !== 'null' && ((own !== undefined && originOf(value) === own) || this.config.websockets.origins.some((p) => originMatches(value, p)))) return;
    this.events.emit({ type: 'authorization.denied', outcome: 'denied', reason: 'ERR_ORIGIN_NOT_ALLOWED', ...requestEventFields(session), details: { origin: value.slice(0, 200) } });
    throw new BastionException('ERR_ORIGIN_NOT_ALLOWED', { reason: 'ERR_ORIGIN_NOT_ALLOWED' });
  }
}

/** The serialised origin of a URL (RFC 6454 §6.1), or undefined when it is not one. */
function originOf(value: string): string | undefined {
  try {
    const origin = new URL(value).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** The API's own origin as the client addressed it. */
function ownOrigin(session: SessionContext): string | undefined {
  return session.authority === undefined ? undefined : originOf(`${session.scheme}://${session.authority}`);
}
