import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { requestEventFields } from '../audit/request-event.js';
import type { SecurityEvent } from '../audit/security-event.js';
import { SecurityEvents } from '../audit/security-events.service.js';
import type { BastionRequestContext } from '../contexts/bastion-context.js';
import { RevocationService } from '../revocation/revocation.service.js';

/** Why a live connection is closed by Bastion. */
export type SessionEnd = 'expired' | 'revoked';

// setTimeout's limit (about 24.8 days); a longer wait is re-armed.
const MAX_TIMER = 2_147_483_647;

interface Tracked {
  readonly session: BastionRequestContext;
  readonly close: (end: SessionEnd) => void;
  timer: NodeJS.Timeout | undefined;
  ended: boolean;
}

/**
 * Watches the principal of every open connection (WebSocket gateways, GraphQL subscriptions): closes
 * it when its credential expires (a timer at `exp`) and when it is revoked (on each `token.revoked`
 * event of this instance the matching connections are re-checked against the store; a revocation made
 * by another instance is seen at the connection's next message, see {@link recheck}). Each close is
 * one `authentication.failed` event with reason `ERR_TOKEN_EXPIRED` or `ERR_TOKEN_REVOKED`.
 */
@Injectable()
export class SocketSessions implements OnModuleDestroy {
  private readonly live = new Set<Tracked>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly events: SecurityEvents,
    private readonly revocation: RevocationService,
  ) {
    // Typed: a listener of every type would make every request build its success event.
    this.unsubscribe = events.subscribe(
      (event) => {
        if (event.type === 'token.revoked') void this.onRevoked(event);
      },
      { types: ['token.revoked'] },
    );
  }

  /** Starts watching an authenticated connection; returns the function that stops (call it on close). */
  track(session: BastionRequestContext, close: (end: SessionEnd) => void): () => void {
    if (!session.principal) return () => undefined;
    const tracked: Tracked = { session, close, timer: undefined, ended: false };
    this.live.add(tracked);
    this.arm(tracked);
    return () => this.forget(tracked);
  }

  /**
   * Re-checks a connection's principal before one of its messages is handled: expiry, then revocation
   * in the shared store (fail closed when the store cannot answer). Closes the connection and returns
   * why when it must end.
   */
  async recheck(session: BastionRequestContext): Promise<SessionEnd | undefined> {
    const tracked = [...this.live].find((t) => t.session === session);
    const end = await this.endOf(session);
    if (end && tracked) this.end(tracked, end);
    return end;
  }

  onModuleDestroy(): void {
    this.unsubscribe();
    for (const tracked of this.live) clearTimeout(tracked.timer);
    this.live.clear();
  }

  private async endOf(session: BastionRequestContext): Promise<SessionEnd | undefined> {
    const principal = session.principal;
    if (!principal) return undefined;
    if (principal.expiresAt && principal.expiresAt.getTime() <= Date.now()) return 'expired';
    if (!this.revocation.settings.enabled) return undefined;
    try {
      return (await this.revocation.isRevoked(principal)) ? 'revoked' : undefined;
    } catch {
      return 'revoked';
    }
  }

  private arm(tracked: Tracked): void {
    const expiresAt = tracked.session.principal?.expiresAt;
    if (!expiresAt) return;
    const wait = expiresAt.getTime() - Date.now();
    if (wait <= 0) return this.end(tracked, 'expired');
    tracked.timer = setTimeout(() => (wait > MAX_TIMER ? this.arm(tracked) : this.end(tracked, 'expired')), Math.min(wait, MAX_TIMER));
    tracked.timer.unref?.();
  }

  private async onRevoked(event: SecurityEvent): Promise<void> {
    const who = event.principal ?? {};
    for (const tracked of [...this.live]) {
      const p = tracked.session.principal;
      if (!p) continue;
      const matches = (who.keyId !== undefined && who.keyId === p.tokenId) || (who.subject !== undefined && who.subject === p.subject) || (who.clientId !== undefined && who.clientId === p.clientId);
      if (matches && (await this.endOf(tracked.session)) === 'revoked') this.end(tracked, 'revoked');
    }
  }

  private end(tracked: Tracked, end: SessionEnd): void {
    if (tracked.ended) return;
    tracked.ended = true;
    this.forget(tracked);
    this.events.emit({
      type: 'authentication.failed',
      outcome: 'failure',
      reason: end === 'expired' ? 'ERR_TOKEN_EXPIRED' : 'ERR_TOKEN_REVOKED',
      ...requestEventFields(tracked.session),
      details: { transport: tracked.session.transport, connection: 'closed' },
    });
    tracked.close(end);
  }

  private forget(tracked: Tracked): void {
    clearTimeout(tracked.timer);
    this.live.delete(tracked);
  }
}
