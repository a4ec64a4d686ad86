import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Authenticator } from '../../core/authenticator.js';
import type { Principal } from '../../core/principal.js';
import type { AuthenticationState } from '../../core/request-context.js';
import type { ClientAddress } from '../../net/forwarded.js';
import type { ResolvedRoute } from '../../authorization/resolved-route.js';
import type { QuotaState } from '../../throttling/ratelimit-headers.js';
import type { BastionRequestContext } from '../bastion-context.js';

/** The raw Node request under both adapters (Express's request is one; Fastify's wraps one as `raw`). */
export type NodeRequest = IncomingMessage & { originalUrl?: string; rawBody?: Buffer; body?: unknown };

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const MAX_CLIENT_REQUEST_ID = 64;

/** A client-chosen id, kept for correlation only: printable ASCII, bounded. */
function clientRequestIdOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const printable = value.replace(/[^\x20-\x7e]/g, '').slice(0, MAX_CLIENT_REQUEST_ID);
  return printable === '' ? undefined : printable;
}

/** Every line of one header as sent (`name` lower-case), from the raw header list. */
export function headerLinesOf(raw: NodeRequest, name: string): string[] {
  const rawHeaders = raw.rawHeaders;
  const values: string[] = [];
  if (rawHeaders && rawHeaders.length > 0) {
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      if (rawHeaders[i]!.length === name.length && rawHeaders[i]!.toLowerCase() === name) values.push(rawHeaders[i + 1]!);
    }
    return values;
  }
  // Requests built without raw headers (some injection tools) still have the parsed ones.
  const parsed = raw.headers[name];
  if (parsed !== undefined) values.push(...(Array.isArray(parsed) ? parsed : [parsed]));
  return values;
}

/**
 * The HTTP {@link RequestContext}, over Express and Fastify alike. Identity (id, client, method,
 * path) is computed once at construction; the body is read from the framework request when asked,
 * since it is parsed after the first Bastion layer has run.
 */
export class HttpRequestContext implements BastionRequestContext {
  readonly transport = 'http' as const;
  readonly id: string;
  readonly clientRequestId: string | undefined;
  readonly method: string;
  readonly target: string;
  readonly path: string;
  route: ResolvedRoute | undefined = undefined;
  principal: Principal | undefined = undefined;
  authentication: AuthenticationState = 'pending';
  /** Memo of the authenticators whose credential the request carries (see `authentication/presented.ts`). */
  presented: readonly Authenticator[] | undefined = undefined;
  counted?: boolean;
  /** Set once the transport policy has run for this request (it runs at most once, whichever layer calls it first). */
  transportApplied = false;
  /** The throttle quotas counted so far, advertised in the `RateLimit` headers. */
  quotas: QuotaState[] | undefined = undefined;

  constructor(
    /** The framework request, or the raw one until the framework request is known ({@link attach}). */
    private framework: object,
    readonly raw: NodeRequest,
    readonly client: ClientAddress,
    /** The `X-Request-Id` lines as received. */
    incomingIds: readonly string[],
  ) {
    this.method = (raw.method ?? 'GET').toUpperCase();
    this.target = raw.originalUrl ?? raw.url ?? '/';
    const end = this.target.search(/[?#]/);
    this.path = end === -1 ? this.target : this.target.slice(0, end);
    // Only a trusted proxy's id is taken over (one line, safe characters): a client must not choose ids
    // that end up in other systems' logs, nor collide with another request's on purpose.
    if (client.viaTrustedProxy && incomingIds.length === 1 && SAFE_REQUEST_ID.test(incomingIds[0]!)) {
      this.id = incomingIds[0]!;
      this.clientRequestId = undefined;
    } else {
      this.id = randomUUID();
      this.clientRequestId = client.viaTrustedProxy ? undefined : clientRequestIdOf(incomingIds[0]);
    }
  }

  get scheme(): 'http' | 'https' {
    return this.client.protocol;
  }

  get authority(): string | undefined {
    return this.client.host;
  }

  get request(): unknown {
    return this.framework;
  }

  /** Fastify: the context may be built from the raw request; the guards then bring the framework one. */
  attach(framework: object): void {
    this.framework = framework;
  }

  header(name: string): string | undefined {
    const value = this.raw.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  headerLines(name: string): readonly string[] {
    return headerLinesOf(this.raw, name.toLowerCase());
  }

  get body(): unknown {
    return (this.framework as { body?: unknown }).body;
  }

  get rawBody(): Buffer | undefined {
    return (this.framework as { rawBody?: Buffer }).rawBody ?? this.raw.rawBody;
  }

  get tls(): TLSSocket | undefined {
    const socket = this.raw.socket as TLSSocket | undefined;
    return socket?.encrypted === true ? socket : undefined;
  }
}
