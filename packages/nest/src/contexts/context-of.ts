import type { ExecutionContext } from '@nestjs/common';
import { BastionException } from '../errors/bastion.exception.js';
import type { BastionRequestContext } from './bastion-context.js';
import { existingGraphqlContext, graphqlContextFrom } from './graphql/graphql-context.js';
import { existingHttpContext, httpContextFrom, type HttpContextSettings } from './http/http-context.js';
import { existingRpcContext, rpcContextFrom } from './rpc/rpc-context.js';
import { socketSessionOf, wsContextFrom } from './ws/ws-context.js';

/**
 * The request context of any execution context Bastion protects: an HTTP request, a GraphQL field,
 * a WebSocket message, a microservice message. Throws 403 `ERR_CONTEXT_UNSUPPORTED` (fail closed) for
 * anything else — another kind of execution context, or a GraphQL/WebSocket call whose request or
 * connection Bastion never saw.
 */
export function contextOf(context: ExecutionContext, settings: HttpContextSettings): BastionRequestContext {
  const type = context.getType<string>();
  let ctx: BastionRequestContext | undefined;
  if (type === 'http') ctx = httpContextFrom(context, settings);
  else if (type === 'graphql') ctx = graphqlContextFrom(context, settings);
  else if (type === 'ws') ctx = wsContextFrom(context);
  else if (type === 'rpc') ctx = rpcContextFrom(context);
  if (!ctx) throw new BastionException('ERR_CONTEXT_UNSUPPORTED', { reason: 'ERR_CONTEXT_UNSUPPORTED', details: { context: type } });
  return ctx;
}

/**
 * The request context Bastion's guards built for an execution context, without building one (for
 * parameter decorators, which have no configuration): the HTTP request's, the GraphQL field's (or its
 * request's or connection's), the WebSocket connection's, the microservice message's.
 */
export function existingContextOf(context: ExecutionContext): BastionRequestContext | undefined {
  switch (context.getType<string>()) {
    case 'http':
      return existingHttpContext(context.switchToHttp().getRequest<object>());
    case 'graphql':
      return existingGraphqlContext(context);
    case 'ws':
      return socketSessionOf(context.switchToWs().getClient());
    case 'rpc':
      return existingRpcContext(context.getArgs());
    default:
      return undefined;
  }
}
