import type { ExecutionContext } from '@nestjs/common';
import { BastionException } from './bastion.exception.js';
import { ERROR_CODES } from './error-codes.js';

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

/** The public body of any error for a non-HTTP client: Bastion's code, or `ERR_INTERNAL` for anything else. */
export function transportErrorBody(error: unknown): TransportErrorBody {
  if (error instanceof BastionException) return { status: 'error', code: error.code, message: ERROR_CODES[error.code].title, statusCode: error.getStatus() };
  return { status: 'error', code: 'ERR_INTERNAL', message: ERROR_CODES.ERR_INTERNAL.title, statusCode: 500 };
}

type WsExceptionType = new (error: object) => Error;
let wsException: Promise<WsExceptionType> | undefined;

/**
 * The error a guard throws for its execution context. WebSocket gateways do not run global exception
 * filters, and Nest's WebSocket handler answers anything but a `WsException` with a generic message
 * (and logs it): a Bastion refusal becomes a `WsException` carrying its code, so the client gets the
 * `exception` event `{ status: 'error', code, message, statusCode }`. Other contexts get the error as is.
 */
export async function errorForContext(context: ExecutionContext, error: unknown): Promise<unknown> {
  if (context.getType<string>() !== 'ws' || !(error instanceof BastionException)) return error;
  wsException ??= import('@nestjs/websockets').then((m) => m.WsException as unknown as WsExceptionType);
  const WsException = await wsException;
  return new WsException(transportErrorBody(error));
}
