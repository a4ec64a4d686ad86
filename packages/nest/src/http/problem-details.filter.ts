import { ArgumentsHost, Catch, ExceptionFilter, Inject, type LoggerService } from '@nestjs/common';
import { bastionLogger } from '../audit/redacting-logger.js';
import { HttpAdapterHost } from '@nestjs/core';
import { BASTION_OPTIONS } from '../core/constants.js';
import { requestIdOf, type BastionRequest } from '../core/http-request.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import { toProblem } from '../errors/problem-details.js';
import { authenticateHeader } from '../authentication/dpop/dpop-challenge.js';

/**
 * Turns every error on an HTTP route — Bastion's, Nest's, the adapter's and unknown ones — into an
 * RFC 9457 `application/problem+json` response. No stack, no internal message, ever; 5xx are logged.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  // Redacted: an unknown error's message and stack may quote a credential or a connection string.
  private readonly logger: LoggerService = bastionLogger('Bastion');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(BASTION_OPTIONS) private readonly options: BastionOptions,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const req = http.getRequest<BastionRequest>();
    const res = http.getResponse<unknown>();
    const adapter = this.adapterHost.httpAdapter;
    const requestId = requestIdOf(req);
    const problem = toProblem(exception, requestId, this.options.errors?.typeBaseUri);
    if (problem.document.status >= 500) {
      const err = exception instanceof Error ? exception : undefined;
      this.logger.error(`requestId=${requestId} unhandled ${err?.name ?? typeof exception}`, err?.stack);
    }
    if (adapter.isHeadersSent?.(res)) return;
    adapter.setHeader(res, 'Content-Type', 'application/problem+json; charset=utf-8');
    adapter.setHeader(res, 'X-Request-Id', requestId);
    adapter.setHeader(res, 'Cache-Control', 'no-store');
    for (const [name, value] of Object.entries(problem.headers)) adapter.setHeader(res, name, value);
    if (problem.challenge) {
      adapter.setHeader(res, 'WWW-Authenticate', authenticateHeader(this.options, req, problem.challenge));
    }
    adapter.reply(res, JSON.stringify(problem.document), problem.document.status);
  }
}
