import type { TLSSocket } from 'node:tls';
import type { ClientAddress } from '../net/forwarded.js';
import type { Principal } from './principal.js';
import type { RouteContext } from './route-context.js';

/** The kind of entry point a request came through. Bastion builds `'http'` contexts today. */
export type Transport = 'http' | 'graphql' | 'ws' | 'rpc';

/** Where authentication stands for a request. */
export type AuthenticationState = 'pending' | 'anonymous' | 'authenticated' | 'failed';

/**
 * One request as every Bastion layer sees it, built once — by the first Bastion layer that meets the
 * request — and read by every later step and every security event. Nothing re-reads the transport's
 * request to learn the client, the id or the route.
 *
 * Authenticators receive it: `header`/`headerLines` (raw lines, so duplicates are
 * visible), `scheme` and `authority` as vouched by trusted proxies (for `@target-uri`,
 * DPoP `htu`), `body`, `rawBody`, `tls` (mTLS) and the underlying `request`.
 */
export interface RequestContext {
  /** Request id (also sent as `X-Request-Id`): a trusted proxy's `X-Request-Id` when safe, else a fresh UUID. */
  readonly id: string;
  /**
   * The `X-Request-Id` a client that is not a trusted proxy sent, for correlation in the audit log only:
   * printable ASCII, at most 64 characters. Never used as the request id.
   */
  readonly clientRequestId: string | undefined;
  readonly transport: Transport;
  /** The client as resolved through the trusted proxies (`ip`, `peer`, `protocol`, `host`). */
  readonly client: ClientAddress;
  /** Upper-case method. */
  readonly method: string;
  /** Path of the request target, without the query string. */
  readonly path: string;
  /** The request target as received (path and query). */
  readonly target: string;
  /** Scheme the client used, as the socket or a trusted proxy says (`X-Forwarded-Proto`, `Forwarded: proto=`). */
  readonly scheme: 'http' | 'https';
  /** Host (and port) the client addressed, as a trusted proxy says or the `Host` header; lower-case. */
  readonly authority: string | undefined;
  /** The security Bastion enforces on the route the request reached; set once the handler is known. */
  readonly route: RouteContext | undefined;
  /** The authenticated caller; set by authentication. */
  readonly principal: Principal | undefined;
  readonly authentication: AuthenticationState;
  /** One header's value; repeated lines joined with `, ` (as Node does). Name case-insensitive. */
  header(name: string): string | undefined;
  /** Every line of one header as sent, in order (Node merges or drops duplicates in its parsed headers). */
  headerLines(name: string): readonly string[];
  /** The parsed body (JSON, form, or `Buffer`), once the adapter has read it. */
  readonly body: unknown;
  /** The body bytes exactly as received, when captured (`configureBastion` captures them). */
  readonly rawBody: Buffer | undefined;
  /** The TLS socket when the connection itself is TLS (client certificates: `getPeerCertificate()`). */
  readonly tls: TLSSocket | undefined;
  /** The transport's own request object (Express `Request`, Fastify `FastifyRequest`). */
  readonly request: unknown;
}
