import { randomUUID } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { ResolvedRoute } from '../authorization/resolved-route.js';
import type { Authenticator } from '../core/authenticator.js';
import type { Principal } from '../core/principal.js';
import type { AuthenticationState, Transport } from '../core/request-context.js';
import type { ClientAddress } from '../net/forwarded.js';
import type { BastionRequestContext } from './bastion-context.js';

/** What a session context is built from. */
export interface SessionInit {
  readonly transport: Transport;
  /** `CONNECT` for a WebSocket handshake, `MESSAGE`/`EVENT` for a microservice message. */
  readonly method: string;
  /** What the context is about: the socket path, or the message pattern. */
  readonly path: string;
  readonly client: ClientAddress;
  /**
   * The credential-bearing header lines the transport carries (lower-case names), e.g. the handshake's
   * own headers plus `authorization` built from a subprotocol, `connectionParams` or a message envelope.
   */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  /** The underlying object (upgrade request, socket, message), for custom authenticators. */
  readonly request: unknown;
  readonly tls?: TLSSocket;
  readonly scheme?: 'http' | 'https';
  readonly body?: unknown;
}

/**
 * A request context for transports without an HTTP request per call: one WebSocket connection (its
 * handshake, then every message reads its principal) or one microservice message. Credentials come
 * only from {@link SessionInit.headers}, which the transport's builder fills from the places it allows.
 */
export class SessionContext implements BastionRequestContext {
  readonly id = randomUUID();
  readonly clientRequestId = undefined;
  readonly transport: Transport;
  readonly method: string;
  readonly path: string;
  readonly target: string;
  readonly client: ClientAddress;
  readonly scheme: 'http' | 'https';
  readonly request: unknown;
  readonly tls: TLSSocket | undefined;
  readonly body: unknown;
  readonly rawBody = undefined;
  route: ResolvedRoute | undefined = undefined;
  principal: Principal | undefined = undefined;
  authentication: AuthenticationState = 'pending';
  presented: readonly Authenticator[] | undefined = undefined;
  counted?: boolean;
  private readonly headers: ReadonlyMap<string, readonly string[]>;

  constructor(init: SessionInit) {
    this.transport = init.transport;
    this.method = init.method;
    this.path = init.path;
    this.target = init.path;
    this.client = init.client;
    this.scheme = init.scheme ?? init.client.protocol;
    this.request = init.request;
    this.tls = init.tls;
    this.body = init.body;
    this.headers = init.headers;
  }

  get authority(): string | undefined {
    return this.client.host;
  }

  header(name: string): string | undefined {
    const lines = this.headers.get(name.toLowerCase());
    return lines && lines.length > 0 ? lines.join(', ') : undefined;
  }

  headerLines(name: string): readonly string[] {
    return this.headers.get(name.toLowerCase()) ?? [];
  }
}

/** The header lines of a context, as a map a {@link SessionContext} takes (lower-case names). */
export function headerMap(entries: Iterable<[string, string | readonly string[] | undefined]>): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const list = map.get(key) ?? [];
    list.push(...(typeof value === 'string' ? [value] : value));
    map.set(key, list);
  }
  return map;
}

