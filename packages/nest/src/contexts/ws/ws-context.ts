import type { ExecutionContext } from '@nestjs/common';
import type { SessionContext } from '../session-context.js';
import { OperationContext } from '../operation-context.js';

// Keyed by the socket object (socket.io `Socket`, `ws` `WebSocket`): gone with the connection.
const sessions = new WeakMap<object, SessionContext>();
// One context per message: every guard of one handler call gets the same arguments array.
const byArgs = new WeakMap<object, OperationContext>();

/** Records the authenticated handshake of a WebSocket connection on its socket. */
export function attachSocketSession(socket: object, session: SessionContext): void {
  sessions.set(socket, session);
}

/** The handshake context of a socket, if Bastion authenticated its handshake. */
export function socketSessionOf(socket: unknown): SessionContext | undefined {
  return typeof socket === 'object' && socket !== null ? sessions.get(socket) : undefined;
}

/**
 * The context of one `@SubscribeMessage` call: the connection's principal and client, the message
 * name as its operation. Undefined for a socket whose handshake Bastion did not see (a gateway served
 * by an adapter Bastion does not wrap): the guards then refuse the message.
 */
export function wsContextFrom(context: ExecutionContext): OperationContext | undefined {
  const args = context.getArgs<unknown[]>();
  let ctx = byArgs.get(args);
  if (ctx) return ctx;
  const ws = context.switchToWs();
  const session = socketSessionOf(ws.getClient());
  if (!session) return undefined;
  const pattern = (ws as { getPattern?: () => unknown }).getPattern?.();
  ctx = new OperationContext(session, {
    transport: 'ws',
    method: 'MESSAGE',
    path: typeof pattern === 'string' ? pattern : context.getHandler().name,
    body: ws.getData(),
    request: ws.getClient(),
  });
  byArgs.set(args, ctx);
  return ctx;
}
