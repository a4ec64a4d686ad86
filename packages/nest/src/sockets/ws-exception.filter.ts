import { Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { socketSessionOf } from '../contexts/ws/ws-context.js';
import { bastionRefusalBody, transportErrorBody } from '../errors/transport-error.js';

type WsClient = { readyState?: unknown; send?(data: string): void; emit?(event: string, data: unknown): void };

const logger = new Logger('Bastion');

/** What a `WsException` the app threw carries, as Nest would send it (an object as is, a string as `message`). */
function wsExceptionBody(exception: unknown): object | undefined {
  if (typeof exception !== 'object' || exception === null || exception.constructor?.name !== 'WsException') return undefined;
  const error = (exception as { getError?: () => unknown }).getError?.();
  return typeof error === 'object' && error !== null ? error : { status: 'error', message: String(error) };
}

/**
 * The exception filter Bastion puts on every WebSocket gateway (Nest runs no global filter for them): a
 * refusal, a validation error or a Nest exception reaches the client as the `exception` event
 * `{ status: 'error', code, message, statusCode }`, anything else as `ERR_INTERNAL` — never Nest's
 * generic answer, which echoes the message back and logs the error with its stack.
 */
export const wsExceptionFilter: ExceptionFilter = {
  catch(exception: unknown, host: ArgumentsHost): void {
    const ws = host.switchToWs();
    const client = ws.getClient<WsClient>();
    const body = bastionRefusalBody(exception) ?? wsExceptionBody(exception) ?? transportErrorBody(exception);
    if ((body as { statusCode?: unknown }).statusCode === 500) {
      const err = exception instanceof Error ? exception : undefined;
      logger.error(`requestId=${socketSessionOf(client)?.id ?? '-'} unhandled ${err?.name ?? typeof exception} in a WebSocket handler`, err?.stack);
    }
    // A `ws` socket (numeric readyState) is written to; its EventEmitter `emit` would stay local. socket.io emits.
    if (typeof client.readyState === 'number' && typeof client.send === 'function') client.send(JSON.stringify({ event: 'exception', data: body }));
    else client.emit?.('exception', body);
  },
};
