import { randomUUID } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { ResolvedRoute } from '../authorization/resolved-route.js';
import type { Authenticator } from '../core/authenticator.js';
import type { Principal } from '../core/principal.js';
import type { AuthenticationState, Transport } from '../core/request-context.js';
import type { ClientAddress } from '../net/forwarded.js';
import type { BastionRequestContext } from './bastion-context.js';

/** What one operation inside a longer-lived context is. */
export interface OperationInit {
  readonly transport: Transport;
  /** `QUERY`, `MUTATION`, `SUBSCRIPTION` (GraphQL) or `MESSAGE` (WebSocket). */
  readonly method: string;
  /** `Query.orders`, or the WebSocket message name. */
  readonly path: string;
  /** Reuse the parent's request id (GraphQL over HTTP: one request, one id) instead of a fresh one. */
  readonly sameId?: boolean;
  readonly body?: unknown;
  /** A field resolver without a decision of its own (see {@link BastionRequestContext.passThrough}). */
  readonly passThrough?: boolean;
  readonly request: unknown;
}

/**
 * One operation — a GraphQL root field, a WebSocket message — inside a context that outlives it (an
 * HTTP request carrying several fields, a connection carrying many messages). It has its own route,
 * operation name and throttle count; the principal and authentication state are the parent's, so a
 * credential is verified once per request or connection, never once per field or message.
 */
export class OperationContext implements BastionRequestContext {
  readonly id: string;
  readonly transport: Transport;
  readonly method: string;
  readonly path: string;
  readonly target: string;
  readonly body: unknown;
  readonly passThrough: boolean;
  readonly request: unknown;
  route: ResolvedRoute | undefined = undefined;
  counted?: boolean;

  constructor(
    readonly parent: BastionRequestContext,
    init: OperationInit,
  ) {
    this.id = init.sameId ? parent.id : randomUUID();
    this.transport = init.transport;
    this.method = init.method;
    this.path = init.path;
    this.target = init.path;
    this.body = init.body;
    this.passThrough = init.passThrough === true;
    this.request = init.request;
  }

  get clientRequestId(): string | undefined {
    return this.parent.clientRequestId;
  }
  get client(): ClientAddress {
    return this.parent.client;
  }
  get scheme(): 'http' | 'https' {
    return this.parent.scheme;
  }
  get authority(): string | undefined {
    return this.parent.authority;
  }
  get rawBody(): Buffer | undefined {
    return undefined;
  }
  get tls(): TLSSocket | undefined {
    return this.parent.tls;
  }
  get principal(): Principal | undefined {
    return this.parent.principal;
  }
  set principal(value: Principal | undefined) {
    this.parent.principal = value;
  }
  get authentication(): AuthenticationState {
    return this.parent.authentication;
  }
  set authentication(value: AuthenticationState) {
    this.parent.authentication = value;
  }
  get presented(): readonly Authenticator[] | undefined {
    return this.parent.presented;
  }
  set presented(value: readonly Authenticator[] | undefined) {
    this.parent.presented = value;
  }
  header(name: string): string | undefined {
    return this.parent.header(name);
  }
  headerLines(name: string): readonly string[] {
    return this.parent.headerLines(name);
  }
}
