import type { INestApplicationContext, WebSocketAdapter } from '@nestjs/common';
import { headerMap } from '../contexts/session-context.js';
import type { SessionContext } from '../contexts/session-context.js';
import { attachSocketSession, socketSessionOf } from '../contexts/ws/ws-context.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { transportErrorBody } from '../errors/transport-error.js';
import { ConnectionAuthenticator } from './connection-authenticator.service.js';
import type { WebSocketCredentialSource } from './websocket-options.js';

const SECURED = Symbol('bastion.secureWebSocketAdapter');
// RFC 6455 §4.1: subprotocol entries are tokens; a JWT or an opaque token68 fits after `bearer.`.
const BEARER_PROTOCOL = /^bearer\.([A-Za-z0-9\-._~+/]+=*)$/i;

type RawRequest = { rawHeaders?: string[]; headers?: Record<string, unknown> };
type SocketIoSocket = { request?: RawRequest; handshake?: { auth?: Record<string, unknown> }; emit(event: string, data: unknown): void; disconnect(close?: boolean): void; once(event: string, fn: () => void): void };
type WsSocket = { close(code?: number, reason?: string): void; once(event: string, fn: () => void): void; readyState: number };

/** True when Bastion secures the adapter (checked at boot when the app has gateways). */
export function isSecuredAdapter(adapter: object | undefined): boolean {
  return adapter !== undefined && (adapter as { [SECURED]?: true })[SECURED] === true;
}

/** The handshake's header lines, plus `authorization` from a `bearer.<token>` subprotocol or socket.io `auth.token`. */
function handshakeHeaders(request: RawRequest | undefined, sources: readonly WebSocketCredentialSource[], authToken: unknown): Map<string, string[]> {
  const lines: [string, string][] = [];
  const raw = request?.rawHeaders ?? [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name === 'sec-websocket-protocol') {
      if (!sources.includes('subprotocol')) continue;
      for (const entry of raw[i + 1]!.split(',')) {
        const match = BEARER_PROTOCOL.exec(entry.trim());
        if (match) lines.push(['authorization', `Bearer ${match[1]}`]);
      }
    } else if (sources.includes('header')) {
      lines.push([name, raw[i + 1]!]);
    }
  }
  if (sources.includes('auth') && typeof authToken === 'string' && authToken !== '') {
    lines.push(['authorization', /^bearer /i.test(authToken) ? authToken : `Bearer ${authToken}`]);
  }
  return headerMap(lines);
}

/**
 * Secures a Nest WebSocket adapter — `IoAdapter` (socket.io) or `WsAdapter` (`ws`) — in place and
 * returns it: every handshake is authenticated before the connection is accepted (`ws`: refused with
 * the HTTP status; socket.io: `connect_error` with `data.code`), from the places `websockets.credentials`
 * allows, never the URL query; its `Origin` is checked; and the connection is closed when its credential
 * expires or is revoked (`ws`: close code 4401 / 4403; socket.io: an `exception` event, then disconnect).
 * Gateways on an adapter not secured this way stop the app at boot.
 *
 * @example
 * ```ts
 * const app = await NestFactory.create(AppModule);
 * configureBastion(app);
 * app.useWebSocketAdapter(secureWebSocketAdapter(app, new IoAdapter(app)));
 * ```
 */
export function secureWebSocketAdapter<T extends WebSocketAdapter>(app: INestApplicationContext, adapter: T): T {
  const connections = app.get(ConnectionAuthenticator, { strict: false });
  const config = app.get<BastionConfig>(BASTION_CONFIG, { strict: false });
  const sources = config.websockets.credentials;
  // The `ws` request of a handshake that passed, until its socket exists.
  const pending = new WeakMap<object, SessionContext>();

  const refuse = (error: unknown) => {
    const body = transportErrorBody(error);
    return { status: body.statusCode, title: ERROR_CODES[body.code as keyof typeof ERROR_CODES]?.title ?? 'Forbidden', body };
  };

  const create = adapter.create.bind(adapter) as (port: number, options?: Record<string, unknown>) => unknown;
  (adapter as { create: unknown }).create = (port: number, options: Record<string, unknown> = {}) => {
    const server = create(port, {
      ...options,
      // `ws`: authenticate before the upgrade completes.
      verifyClient: (info: { req: RawRequest }, done: (ok: boolean, code?: number, message?: string) => void) => {
        void connections.open({ transport: 'ws', request: info.req, headers: handshakeHeaders(info.req, sources, undefined), checkOrigin: true }).then((result) => {
          if ('session' in result) {
            pending.set(info.req, result.session);
            return done(true);
          }
          const { status, title } = refuse(result.error);
          done(false, status, title);
        });
      },
      // The token travelled as a subprotocol entry: never selected, so never echoed back.
      handleProtocols: (protocols: Set<string>) => [...protocols].find((p) => !BEARER_PROTOCOL.test(p)) ?? false,
    }) as { use?: (fn: (socket: SocketIoSocket, next: (err?: Error) => void) => void) => void };
    // socket.io: authenticate the CONNECT of each socket (its `auth` payload, the handshake's headers).
    server.use?.((socket, next) => {
      void connections.open({ transport: 'ws', request: socket.request, headers: handshakeHeaders(socket.request, sources, socket.handshake?.auth?.token), checkOrigin: true }).then((result) => {
        if ('session' in result) {
          attachSocketSession(socket, result.session);
          return next();
        }
        const { title, body } = refuse(result.error);
        next(Object.assign(new Error(title), { data: body }));
      });
    });
    return server;
  };

  const bind = adapter.bindClientConnect.bind(adapter);
  adapter.bindClientConnect = (server: unknown, callback: (...args: unknown[]) => void) =>
    bind(server, (client: object, request?: object) => {
      const session = socketSessionOf(client) ?? (request ? pending.get(request) : undefined);
      if (!session) {
        // A socket Bastion did not authenticate (should not happen): never handed to the gateway.
        closeSocket(client, 4401, 'Unauthorized');
        return;
      }
      attachSocketSession(client, session);
      const stop = connections.watch(session, (code, reason) => closeSocket(client, code, reason));
      (client as WsSocket).once('close', stop);
      (client as WsSocket).once('disconnect', stop);
      callback(client, request);
    });
  (adapter as { [SECURED]?: true })[SECURED] = true;
  return adapter;
}

/** Ends a connection: `ws` with a close code; socket.io (no close codes) with an `exception` event, then disconnect. */
function closeSocket(client: object, code: number, reason: string): void {
  const io = client as SocketIoSocket;
  if (typeof io.disconnect === 'function' && typeof io.emit === 'function') {
    io.emit('exception', { status: 'error', code: code === 4401 ? 'ERR_INVALID_TOKEN' : 'ERR_FORBIDDEN', message: reason, statusCode: code - 4000 });
    io.disconnect(true);
    return;
  }
  (client as WsSocket).close(code, reason);
}
