import type { ExecutionContext } from '@nestjs/common';
import { BastionException } from './bastion.exception.js';
import { ERROR_CODES } from './error-codes.js';
import { toProblem } from './problem-details.js';
import { existingRpcContext } from '../contexts/rpc/rpc-context.js';

/** What a WebSocket or microservice client is told about a refused message: the code and public title only. */
export interface TransportErrorBody {
  status: 'error';
  /** Stable `ERR_…` code. */
  code: string;
  /** Public title of the code (`Unauthorized`), never an internal message. */
  message: string;
  /** HTTP status the code stands for (401, 403, 429…). */
  statusCode: number;
}

/**
 * The public body of any error for a non-HTTP client, mapped as for an HTTP problem document: Bastion's
 * code, a Nest exception's status code (`ERR_NOT_FOUND`), or `ERR_INTERNAL` for anything else.
 */
export function transportErrorBody(error: unknown): TransportErrorBody {
  const { document } = toProblem(error, '');
  return { status: 'error', code: document.code, message: document.title, statusCode: document.status };
}

type WsExceptionType = new (error: object) => Error;
type RpcExceptionType = new (error: object) => Error & { getError(): unknown };
type GraphqlErrorType = new (message: string, options: { extensions: Record<string, unknown>; originalError: Error }) => Error;
let wsException: Promise<WsExceptionType> | undefined;
let rpcException: Promise<RpcExceptionType> | undefined;
let graphqlError: Promise<GraphqlErrorType> | undefined;

// Marks the RpcExceptions Bastion made, whose body may be sent as it is.
const BASTION_BODY = Symbol('bastion.transportErrorBody');

/** The body of a WebSocket or microservice refusal Bastion made (see {@link errorForContext}), if `error` is one. */
export function bastionRefusalBody(error: unknown): (TransportErrorBody & { requestId?: string }) | undefined {
  return typeof error === 'object' && error !== null ? (error as { [BASTION_BODY]?: TransportErrorBody & { requestId?: string } })[BASTION_BODY] : undefined;
}

/**
 * The error a guard throws for its execution context. WebSocket gateways do not run global exception
 * filters, and Nest's WebSocket handler answers anything but a `WsException` with a generic message
 * (and logs it): a Bastion refusal becomes a `WsException` carrying its code, so the client gets the
 * `exception` event `{ status: 'error', code, message, statusCode }`. A microservice refusal becomes an
 * `RpcException` with the same body and the request id, which Nest's own RPC filter sends as it is
 * (a hybrid app's microservice may not run Bastion's global filter). A GraphQL refusal becomes a
 * `GraphQLError` with the code in `extensions.code` (subscription errors are sent as they are thrown).
 * Other contexts get the error as is.
 */
export async function errorForContext(context: ExecutionContext, error: unknown): Promise<unknown> {
  const type = context.getType<string>();
  if (!(error instanceof BastionException)) return error;
  if (type === 'graphql') {
    // A GraphQLError with the code in `extensions`: what every driver path (HTTP, subscriptions) serialises.
    graphqlError ??= import('graphql').then((m) => m.GraphQLError as unknown as GraphqlErrorType);
    const GraphQLError = await graphqlError;
    return new GraphQLError(ERROR_CODES[error.code].title, { extensions: { code: error.code }, originalError: error });
  }
  if (type === 'rpc') {
    rpcException ??= import('@nestjs/microservices').then((m) => m.RpcException as unknown as RpcExceptionType);
    const RpcException = await rpcException;
    const requestId = existingRpcContext(context.getArgs())?.id;
    const body = { ...transportErrorBody(error), ...(requestId ? { requestId } : {}) };
    return Object.assign(new RpcException(body), { [BASTION_BODY]: body });
  }
  if (type !== 'ws') return error;
  wsException ??= import('@nestjs/websockets').then((m) => m.WsException as unknown as WsExceptionType);
  const WsException = await wsException;
  const body = transportErrorBody(error);
  return Object.assign(new WsException(body), { [BASTION_BODY]: body });
}
