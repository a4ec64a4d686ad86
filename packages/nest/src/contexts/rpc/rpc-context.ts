import type { ExecutionContext } from '@nestjs/common';
import { parseIp } from '../../net/ip-address.js';
import type { ClientAddress } from '../../net/forwarded.js';
import { EVENT_PATTERN_HANDLER, TRANSPORT_METADATA } from '../../nest-internals.js';
import { SessionContext, headerMap } from '../session-context.js';
import { envelopeAuthorization, isEnvelope } from './rpc-envelope.js';

const byArgs = new WeakMap<object, SessionContext>();

/** The TCP peer of a message, when the transport has one (TCP: the `JsonSocket`'s `net.Socket`). */
function peerOf(rpcContext: unknown): { address: string | undefined; encrypted: boolean } {
  const ref = (rpcContext as { getSocketRef?: () => { socket?: { remoteAddress?: string; encrypted?: boolean } } })?.getSocketRef?.();
  return { address: ref?.socket?.remoteAddress, encrypted: ref?.socket?.encrypted === true };
}

function clientOf(rpcContext: unknown): ClientAddress {
  const { address, encrypted } = peerOf(rpcContext);
  const ip = parseIp(address)?.address ?? 'unknown';
  return { ip, peer: ip, protocol: encrypted ? 'https' : 'http', host: undefined, viaTrustedProxy: false, forwardingHeaders: false };
}

function patternOf(context: ExecutionContext, rpcContext: unknown): string {
  const pattern = (rpcContext as { getPattern?: () => unknown })?.getPattern?.() ?? (Reflect.getMetadata(TRANSPORT_METADATA.pattern, context.getHandler()) as unknown[] | undefined)?.[0];
  return typeof pattern === 'string' ? pattern : (JSON.stringify(pattern) ?? context.getHandler().name);
}

/** The context of a message if a guard built one (never builds). */
export function existingRpcContext(args: unknown[]): SessionContext | undefined {
  return byArgs.get(keyOf(args));
}

// The transport's context object (`TcpContext`, `RedisContext`…) is made once per message and reaches
// the guards and the exception filter alike (the arguments array does not: Nest spreads it anew).
function keyOf(args: unknown[]): object {
  return typeof args[1] === 'object' && args[1] !== null ? args[1] : args;
}

/**
 * The context of one microservice message. A Bastion envelope is unwrapped here — the handler, its
 * pipes and interceptors receive the payload, never the credential — and its `authorization` becomes
 * the context's only credential. Built by the first guard (authentication always runs), once per message.
 */
export function rpcContextFrom(context: ExecutionContext): SessionContext {
  const args = context.getArgs<unknown[]>();
  let ctx = byArgs.get(keyOf(args));
  if (ctx) return ctx;
  const rpcContext = args[1];
  const data = args[0];
  const wrapped = isEnvelope(data);
  if (wrapped) args[0] = data.payload;
  const event = Reflect.getMetadata(TRANSPORT_METADATA.patternHandler, context.getHandler()) === EVENT_PATTERN_HANDLER;
  ctx = new SessionContext({
    transport: 'rpc',
    method: event ? 'EVENT' : 'MESSAGE',
    path: patternOf(context, rpcContext),
    client: clientOf(rpcContext),
    headers: headerMap(wrapped ? [['authorization', envelopeAuthorization(data)]] : []),
    body: args[0],
    request: rpcContext,
  });
  byArgs.set(keyOf(args), ctx);
  return ctx;
}
